"""Committed speech fixtures (tests/data/audio) and the real Whisper engines, loaded once per session."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from multimed.ml.transcription import Transcriber, build_transcriber, models
from transcription.speech_fixtures import AUDIO


@pytest.fixture(scope="session")
def expected() -> dict[str, Any]:
    """expected.json: the dictations (spoken text, written reference) and every file's format."""
    data: dict[str, Any] = json.loads((AUDIO / "expected.json").read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="session")
def model_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The cache directory the session's whisper-base is joined into."""
    return tmp_path_factory.mktemp("models")


@pytest.fixture(scope="session")
def tiny() -> Transcriber:
    """The production tiny.en engine from the registry (the fast one, used for most tests)."""
    return build_transcriber("whisper-tiny.en", cache_dir=Path("unused-by-tiny"))


@pytest.fixture(scope="session")
def base_dir(model_cache: Path) -> Path:
    """whisper-base joined from its two parts, once for the session."""
    return models.whisper_base_dir(model_cache)
