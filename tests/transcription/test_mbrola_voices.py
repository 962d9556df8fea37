"""whisper-base on the four test dictations read by MBROLA diphone voices (recorded speakers, not espeak-ng's
formant voices): committed Ogg Opus fixtures made by scripts/make_mbrola_dictations.py --fixtures, so the
test needs no mbrola."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from multimed.ml.transcription import Transcript, build_transcriber
from multimed.ml.transcription.scoring import normalize, pooled_word_error_rate, word_error_rate
from transcription.speech_fixtures import AUDIO

FIXTURES = AUDIO / "mbrola"
# Measured with whisper-base and the vocabulary prompt: 0.00-0.21 per file (us1, us2, us3, en1), ~0.15
# overall. The bounds catch regressions, not quality.
MAX_FILE_WER = 0.35
MAX_OVERALL_WER = 0.25
DRUGS = ("lisinopril", "metformin", "atorvastatin", "furosemide", "acetaminophen")


@pytest.fixture(scope="module")
def made() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / "expected.json").read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="module")
def heard(made: dict[str, Any], model_cache: Path) -> dict[str, Transcript]:
    engine = build_transcriber("whisper-base", cache_dir=model_cache)
    return {name: engine.transcribe(FIXTURES / name) for name in made["files"]}


def test_every_voice_and_dictation_is_a_fixture(made: dict[str, Any]) -> None:
    files = made["files"]
    assert {f["voice"] for f in files.values()} == {"mb-us1", "mb-us2", "mb-us3", "mb-en1"}
    expected = json.loads((AUDIO / "expected.json").read_text(encoding="utf-8"))["dictations"]
    assert {f["dictation"] for f in files.values()} == set(expected)
    for name, f in files.items():
        assert f["reference"] == expected[f["dictation"]]["reference"], name
        assert (FIXTURES / name).stat().st_size < 40_000, name


def test_word_error_rate(heard: dict[str, Transcript], made: dict[str, Any]) -> None:
    for name, transcript in heard.items():
        reference = made["files"][name]["reference"]
        assert abs(transcript.duration_seconds - made["files"][name]["duration"]) < 0.06, name
        wer = word_error_rate(reference, transcript.text)
        assert wer <= MAX_FILE_WER, f"{name}: {wer:.2f} {transcript.text!r}"
    pairs = [(made["files"][name]["reference"], t.text) for name, t in heard.items()]
    assert pooled_word_error_rate(pairs) <= MAX_OVERALL_WER


def test_drug_names_and_numbers_come_through(heard: dict[str, Transcript], made: dict[str, Any]) -> None:
    said = " ".join(t.text for t in heard.values()).lower()
    assert sum(drug in said for drug in DRUGS) >= 4, said
    numbers = found = 0
    for name, transcript in heard.items():
        wanted = [w for w in normalize(made["files"][name]["reference"]) if w[0].isdigit()]
        numbers += len(wanted)
        found += sum(w in normalize(transcript.text) for w in wanted)
    assert found / numbers >= 0.85, f"{found}/{numbers}"
