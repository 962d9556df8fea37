"""Each piece is decoded once (one encoder pass, one decode); a decode that loops is done again."""

from __future__ import annotations

from typing import Any

import pytest
from faster_whisper.transcribe import Segment  # type: ignore[import-untyped]

from multimed.ml.transcription import audio, models
from multimed.ml.transcription.scoring import word_error_rate
from multimed.ml.transcription.whisper import FasterWhisperTranscriber, _ran_away
from transcription.speech_fixtures import AUDIO, reference_of


class CountingModel:
    """The real CTranslate2 Whisper model, counting its encoder and decoder calls."""

    def __init__(self, model: Any) -> None:
        self._model = model
        self.calls = {"encode": 0, "generate": 0}

    def __getattr__(self, name: str) -> Any:
        return getattr(self._model, name)

    def encode(self, *args: Any, **kwargs: Any) -> Any:
        self.calls["encode"] += 1
        return self._model.encode(*args, **kwargs)

    def generate(self, *args: Any, **kwargs: Any) -> Any:
        self.calls["generate"] += 1
        return self._model.generate(*args, **kwargs)


@pytest.fixture
def engine() -> FasterWhisperTranscriber:
    return FasterWhisperTranscriber(models.whisper_tiny_en_dir(), model_name="whisper-tiny.en")


def segment(tokenizer: Any, text: str, compression_ratio: float = 1.5) -> Segment:
    tokens = tokenizer.encode(text, add_special_tokens=False).ids
    return Segment(
        id=0,
        seek=0,
        start=0.0,
        end=1.0,
        text=text,
        tokens=tokens,
        avg_logprob=-0.3,
        compression_ratio=compression_ratio,
        no_speech_prob=0.01,
        words=None,
        temperature=0.0,
    )


@pytest.mark.parametrize("single_pass", [True, False])
def test_a_short_recording_is_encoded_once(
    engine: FasterWhisperTranscriber,
    monkeypatch: pytest.MonkeyPatch,
    expected: dict[str, Any],
    single_pass: bool,
) -> None:
    """One piece, one encoder pass and one decode. The sequential decoder (single_pass=False) encodes the
    silence after the last word again and decodes it, which is where "Thank you." came from."""
    name = "chest_pain.wav"
    assert len(list(audio.pieces(audio.decode(AUDIO / name), seconds=30.0))) == 1
    counting = CountingModel(engine._whisper.model)
    monkeypatch.setattr(engine._whisper, "model", counting)
    monkeypatch.setattr(engine, "_single_pass", single_pass)
    transcript = engine.transcribe(AUDIO / name)
    assert word_error_rate(reference_of(expected, name), transcript.text) <= 0.4
    assert transcript.words
    if single_pass:
        assert counting.calls == {"encode": 1, "generate": 1}
    else:
        assert counting.calls["encode"] >= 2


def test_a_decode_that_repeats_itself_is_a_loop(engine: FasterWhisperTranscriber) -> None:
    tokenizer = engine._whisper.hf_tokenizer
    fine = [segment(tokenizer, " Recheck INR in one week. Hemoglobin 12.8, platelets 210,000.")]
    assert not _ran_away(fine, 200)
    assert _ran_away([segment(tokenizer, " Re" + "che" * 25)], 200)
    assert _ran_away([segment(tokenizer, " so the so the so the so the so the so the so the")], 200)
    assert _ran_away(fine, len(fine[0].tokens))  # ran to the length limit
    assert _ran_away([segment(tokenizer, " Recheck INR.", compression_ratio=2.6)], 200)
