"""Whisper run by faster-whisper (CTranslate2, int8 on the CPU), with a clinical vocabulary prompt.

Recordings shorter than `long_seconds` (30 min) are decoded whole. Longer ones are decoded in ~10-minute
windows, each cut at a quiet moment, so memory stays bounded; progress is reported per window and piece.

Every window is transcribed in pieces of at most 30 s (Whisper's own window), each cut at a quiet moment
and given the vocabulary prompt, with `condition_on_previous_text=False`. Whisper applies an initial
prompt only to its first 30 s, and carrying text from window to window is what let it loop: in trials a
prompt carried over made it decode the last half-second of silence into 224 tokens of invented text
("this is the first time I've been to the first time..."), at 5-8 s per loop.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import ctranslate2  # type: ignore[import-untyped]
import faster_whisper  # type: ignore[import-untyped]

from multimed.ml.transcription import audio
from multimed.ml.transcription.base import (
    AudioSource,
    ProgressCallback,
    Transcriber,
    Transcript,
    TranscriptBuilder,
)
from multimed.ml.transcription.vocabulary import clinical_prompt

PIECE_SECONDS = 30.0  # Whisper's window: one piece, one prompted decode
MAX_PROMPT_TOKENS = 223  # Whisper keeps the last max_length // 2 - 1 prompt tokens and drops the rest
_MODELS: dict[tuple[str, str, int], tuple[Any, threading.Lock]] = {}
_MODELS_LOCK = threading.Lock()


def _shared_model(model_dir: Path, compute_type: str, threads: int) -> tuple[Any, threading.Lock]:
    """One WhisperModel per (directory, compute type, threads) in this process, with the lock guarding it."""
    key = (str(model_dir.resolve()), compute_type, threads)
    with _MODELS_LOCK:
        if key not in _MODELS:
            if not (model_dir / "model.bin").is_file():
                raise FileNotFoundError(f"no model.bin in {model_dir}")
            model = faster_whisper.WhisperModel(
                key[0], device="cpu", compute_type=compute_type, cpu_threads=threads, local_files_only=True
            )
            _MODELS[key] = (model, threading.Lock())
        return _MODELS[key]


class _Progress:
    """Reports the fraction done, never going back and keeping 1.0 for the end."""

    def __init__(self, callback: ProgressCallback | None, total_seconds: float) -> None:
        self._callback = callback
        self._total = total_seconds
        self._last = 0.0

    def at(self, seconds: float) -> None:
        if self._callback is None or self._total <= 0:
            return
        fraction = min(seconds / self._total, 0.99)
        if fraction > self._last:
            self._last = fraction
            self._callback(fraction)

    def done(self) -> None:
        if self._callback is not None:
            self._callback(1.0)


class FasterWhisperTranscriber(Transcriber):
    """A Whisper model directory (CTranslate2 format) behind the `Transcriber` interface."""

    name = "faster-whisper"

    def __init__(
        self,
        model_dir: Path,
        *,
        model_name: str,
        threads: int = 2,
        beam_size: int = 5,
        compute_type: str = "int8",
        language: str = "en",
        vad_filter: bool = True,
        vocabulary_prompt: bool = True,
        long_seconds: float = 30 * 60,
        window_seconds: float = 10 * 60,
    ) -> None:
        if window_seconds <= 0 or long_seconds <= 0:
            raise ValueError("window_seconds and long_seconds must be positive")
        self.model = model_name
        self.version = f"{faster_whisper.__version__} (ctranslate2 {ctranslate2.__version__})"
        self._whisper, self._lock = _shared_model(model_dir, compute_type, threads)
        self._beam_size = beam_size
        self._language = language
        self._vad_filter = vad_filter
        self._default_prompt = self._checked_prompt(clinical_prompt() if vocabulary_prompt else "")
        self._long_seconds = long_seconds
        self._window_seconds = window_seconds

    @property
    def default_prompt(self) -> str:
        return self._default_prompt

    def prompt_tokens(self, prompt: str) -> int:
        """How many tokens the model's tokenizer makes of `prompt` (as faster-whisper encodes it)."""
        return len(self._whisper.hf_tokenizer.encode(" " + prompt.strip(), add_special_tokens=False).ids)

    def _checked_prompt(self, prompt: str) -> str:
        if prompt.strip() and self.prompt_tokens(prompt) > MAX_PROMPT_TOKENS:
            raise ValueError(
                f"prompt of {self.prompt_tokens(prompt)} tokens: Whisper keeps only {MAX_PROMPT_TOKENS}"
            )
        return prompt.strip()

    def transcribe(
        self,
        path_or_file: AudioSource,
        *,
        prompt: str | None = None,
        on_progress: ProgressCallback | None = None,
    ) -> Transcript:
        """See `Transcriber.transcribe`. An exception raised by `on_progress` stops the transcription."""
        started = time.perf_counter()
        initial_prompt = self._default_prompt if prompt is None else self._checked_prompt(prompt)
        expected = audio.duration(path_or_file)  # from the header; the decoded length is what counts
        # Short recordings are one window; a wrong header at worst makes 30-minute windows.
        window = self._window_seconds if expected >= self._long_seconds else self._long_seconds
        progress = _Progress(on_progress, expected)
        builder = TranscriptBuilder()
        decoded = 0.0
        with self._lock:
            for offset, window_samples in audio.windows(path_or_file, window_seconds=window):
                for start, samples in audio.pieces(window_samples, seconds=PIECE_SECONDS):
                    piece_offset = offset + start / audio.SAMPLE_RATE
                    segments, _info = self._whisper.transcribe(
                        samples,
                        beam_size=self._beam_size,
                        language=self._language,
                        initial_prompt=initial_prompt or None,
                        condition_on_previous_text=False,
                        vad_filter=self._vad_filter,
                        word_timestamps=True,
                    )
                    length = len(samples) / audio.SAMPLE_RATE
                    self._collect(builder, segments, piece_offset, length, progress)
                    progress.at(piece_offset + length)
                decoded = offset + len(window_samples) / audio.SAMPLE_RATE
        progress.done()
        return builder.build(
            language=self._language,
            duration_seconds=decoded,
            engine=self.name,
            model=self.model,
            version=self.version,
            seconds_processed=time.perf_counter() - started,
        )

    @staticmethod
    def _collect(
        builder: TranscriptBuilder,
        segments: Iterable[Any],
        offset: float,
        length: float,
        progress: _Progress,
    ) -> None:
        """Add a window's segments with absolute, clamped, non-decreasing times."""
        for segment in segments:  # a lazy generator: decoding happens while iterating
            floor = max(builder.last_end, offset)
            words = []
            for word in segment.words or ():
                start = min(max(offset + word.start, floor), offset + length)
                end = min(max(offset + word.end, start), offset + length)
                words.append((word.word, start, end, word.probability))
                floor = end
            start = min(max(offset + segment.start, builder.last_end, offset), offset + length)
            end = min(max(offset + segment.end, start), offset + length)
            if words:  # the segment spans its words
                start, end = min(start, words[0][1]), max(end, words[-1][2])
            builder.add(
                text=segment.text,
                start=start,
                end=end,
                words=words,
                avg_logprob=segment.avg_logprob,
                no_speech_prob=segment.no_speech_prob,
            )
            progress.at(end)
