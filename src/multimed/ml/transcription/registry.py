"""Choosing the speech-to-text engine by name (from settings); each is built once per process."""

from __future__ import annotations

import functools
import threading
from pathlib import Path

from multimed.ml.transcription.base import Transcriber

_LOCK = threading.Lock()
KNOWN = ("whisper-base", "whisper-tiny.en")


@functools.cache
def _build(name: str, cache_dir: Path) -> Transcriber:
    from multimed.ml.transcription import models
    from multimed.ml.transcription.whisper import FasterWhisperTranscriber  # heavy: CTranslate2

    if name == "whisper-base":
        return FasterWhisperTranscriber(models.whisper_base_dir(cache_dir), model_name=name)
    if name == "whisper-tiny.en":
        return FasterWhisperTranscriber(models.whisper_tiny_en_dir(), model_name=name)
    raise ValueError(f"unknown transcriber {name!r}; known: {', '.join(repr(k) for k in KNOWN)}")


def build_transcriber(name: str = "whisper-base", *, cache_dir: Path) -> Transcriber:
    """The named engine, loaded on first request and shared by every later caller.

    `cache_dir` (e.g. settings.data_dir / "models") receives the Whisper base model joined from its parts.
    """
    with _LOCK:
        return _build(name, cache_dir.resolve())
