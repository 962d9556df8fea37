"""The real Whisper engines on the committed dictations: accuracy, numbers, timings, offsets, progress."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest

from multimed.ml.transcription import AudioError, Transcriber, Transcript, build_transcriber, models
from multimed.ml.transcription.audio import UNDECODABLE
from multimed.ml.transcription.scoring import normalize, pooled_word_error_rate, word_error_rate
from multimed.ml.transcription.whisper import MAX_PROMPT_TOKENS, FasterWhisperTranscriber
from transcription.speech_fixtures import AUDIO, reference_of

# Every container once, and every dictation (two voices) at least once.
CASES = [f"chest_pain.{ext}" for ext in ("wav", "flac", "mp3", "m4a", "ogg", "webm")] + [
    "diabetes.ogg",
    "renal.mp3",
    "fever.webm",
]
# Measured with tiny.en and the vocabulary prompt on these files: 0.00-0.36 per file, 0.14 overall.
# espeak-ng's robotic voices are harder than people; the bounds catch regressions, not quality.
MAX_FILE_WER = 0.40
MAX_OVERALL_WER = 0.22


def check_layout(transcript: Transcript) -> None:
    """Offsets point at the text; times are ordered and inside the recording."""
    assert transcript.segments, "no speech found"
    previous_end = 0.0
    for segment in transcript.segments:
        assert transcript.text[segment.char_start : segment.char_end] == segment.text
        assert previous_end - 1e-6 <= segment.start <= segment.end <= transcript.duration_seconds + 1e-6
        word_end = segment.start
        for word in segment.words:
            assert transcript.text[word.char_start : word.char_end] == word.text
            assert word_end - 1e-6 <= word.start <= word.end <= segment.end + 1e-6
            assert 0.0 <= word.probability <= 1.0
            word_end = word.end
        previous_end = segment.end
    assert transcript.text == " ".join(s.text for s in transcript.segments)


@pytest.fixture(scope="module")
def results(tiny: Transcriber) -> dict[str, Transcript]:
    return {name: tiny.transcribe(AUDIO / name) for name in CASES}


def test_word_error_rate(results: dict[str, Transcript], expected: dict[str, Any]) -> None:
    for name, transcript in results.items():
        wer = word_error_rate(reference_of(expected, name), transcript.text)
        assert wer <= MAX_FILE_WER, f"{name}: {wer:.2f} {transcript.text!r}"
    pairs = [(reference_of(expected, name), t.text) for name, t in results.items()]
    assert pooled_word_error_rate(pairs) <= MAX_OVERALL_WER


def test_numbers_come_out_as_dictated(results: dict[str, Transcript], expected: dict[str, Any]) -> None:
    found = total = 0
    for name, transcript in results.items():
        numbers = [w for w in normalize(reference_of(expected, name)) if w[0].isdigit()]
        said = normalize(transcript.text)
        found += sum(n in said for n in numbers)
        total += len(numbers)
    assert found / total >= 0.85, f"{found}/{total}"
    assert {"160", "95", "10"} <= set(normalize(results["chest_pain.ogg"].text))


@pytest.mark.parametrize("name", CASES)
def test_timings_and_offsets(results: dict[str, Transcript], name: str, expected: dict[str, Any]) -> None:
    transcript = results[name]
    check_layout(transcript)
    assert abs(transcript.duration_seconds - expected["files"][name]["duration"]) < 0.06
    assert transcript.words


def test_each_sentence_is_a_segment(results: dict[str, Transcript]) -> None:
    """Whisper decodes a whole piece as one segment; the transcript cuts it at sentence ends, so a citation
    of a sentence points at its own seconds."""
    assert len(results["chest_pain.ogg"].segments) >= 3
    for name, transcript in results.items():
        assert all(s.text.endswith((".", "?", "!")) for s in transcript.segments[:-1]), name


def test_a_quote_maps_to_the_seconds_it_was_said(results: dict[str, Transcript]) -> None:
    transcript = results["chest_pain.ogg"]
    start = transcript.text.index("160")
    span = transcript.time_span(start, start + 3)
    assert span is not None
    # "one sixty" is said at about 5.4-6.2 s of the 12 s dictation.
    assert 4.5 < span[0] < span[1] < 7.5


def test_result_names_engine_model_and_version(results: dict[str, Transcript]) -> None:
    transcript = results["renal.mp3"]
    assert (transcript.engine, transcript.model, transcript.language) == (
        "faster-whisper",
        "whisper-tiny.en",
        "en",
    )
    assert transcript.version.startswith("1.2.1 (ctranslate2 ")
    assert transcript.seconds_processed > 0
    assert transcript.rtf == pytest.approx(transcript.seconds_processed / transcript.duration_seconds)


def test_progress_reaches_one(tiny: Transcriber) -> None:
    seen: list[float] = []
    tiny.transcribe(AUDIO / "fever.ogg", on_progress=seen.append)
    assert seen[-1] == 1.0
    assert seen == sorted(seen)
    assert all(0.0 < f <= 1.0 for f in seen)


def test_long_recordings_go_through_windows(expected: dict[str, Any]) -> None:
    # Given a 22.7 s recording treated as "long" with 8 s windows (in production: >= 30 min, 10 min)
    engine = FasterWhisperTranscriber(
        models.whisper_tiny_en_dir(), model_name="whisper-tiny.en", long_seconds=5, window_seconds=8
    )
    seen: list[float] = []
    # When it is transcribed
    transcript = engine.transcribe(AUDIO / "two_dictations.ogg", on_progress=seen.append)
    # Then progress comes per window (three of them), times are absolute and the text is all there
    assert len(seen) >= 4
    assert seen == sorted(seen)
    assert seen[-1] == 1.0
    check_layout(transcript)
    assert transcript.segments[-1].end > 16
    assert abs(transcript.duration_seconds - expected["files"]["two_dictations.ogg"]["duration"]) < 0.06
    assert word_error_rate(reference_of(expected, "two_dictations.ogg"), transcript.text) <= MAX_FILE_WER
    said = normalize(transcript.text)
    assert "tomorrow" in said
    assert "potassium" in said


def test_file_objects_and_no_prompt(tiny: Transcriber) -> None:
    handle = io.BytesIO((AUDIO / "chest_pain.m4a").read_bytes())
    transcript = tiny.transcribe(handle, prompt="")
    assert "pressure" in normalize(transcript.text)


def test_undecodable_input_is_a_typed_error(tiny: Transcriber, tmp_path: Path) -> None:
    bad = tmp_path / "dictation.webm"
    bad.write_bytes(b"\x1a\x45\xdf\xa3" + b"\x00" * 64)
    with pytest.raises(AudioError) as caught:
        tiny.transcribe(bad)
    assert caught.value.code == UNDECODABLE


def test_prompts_fit_whisper(tiny: Transcriber, base_dir: Path) -> None:
    base = FasterWhisperTranscriber(base_dir, model_name="whisper-base")
    for engine in (tiny, base):
        assert isinstance(engine, FasterWhisperTranscriber)
        assert 100 < engine.prompt_tokens(engine.default_prompt) <= MAX_PROMPT_TOKENS
        assert "lisinopril" in engine.default_prompt
    with pytest.raises(ValueError, match="tokens"):
        tiny.transcribe(AUDIO / "fever.ogg", prompt="lisinopril " * 100)


def test_base_model_transcribes(base_dir: Path, model_cache: Path, expected: dict[str, Any]) -> None:
    engine = build_transcriber("whisper-base", cache_dir=model_cache)
    assert engine is build_transcriber("whisper-base", cache_dir=model_cache)
    transcript = engine.transcribe(AUDIO / "renal.ogg")
    assert transcript.model == "whisper-base"
    check_layout(transcript)
    assert word_error_rate(reference_of(expected, "renal.ogg"), transcript.text) <= MAX_FILE_WER


def test_registry() -> None:
    assert build_transcriber("whisper-tiny.en", cache_dir=Path("a")) is build_transcriber(
        "whisper-tiny.en", cache_dir=Path("a")
    )
    with pytest.raises(ValueError, match="unknown transcriber 'whisper-large'"):
        build_transcriber("whisper-large", cache_dir=Path("a"))
