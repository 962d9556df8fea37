"""Whisper run by faster-whisper (CTranslate2, int8 on the CPU), with a clinical vocabulary prompt.

Recordings shorter than `long_seconds` (30 min) are decoded whole. Longer ones are decoded in ~10-minute
windows, each cut at a quiet moment, so memory stays bounded; progress is reported per window and piece.

Every window is transcribed in pieces of at most 30 s (Whisper's own window), each cut at a quiet moment
and given the vocabulary prompt, with `condition_on_previous_text=False`. Whisper applies an initial
prompt only to its first 30 s, and carrying text from window to window is what let it loop: in trials a
prompt carried over made it decode the last half-second of silence into 224 tokens of invented text
("this is the first time I've been to the first time..."), at 5-8 s per loop.

Each piece is decoded in a single pass: one encoder run and one beam search (faster-whisper's
`BatchedInferencePipeline`, one piece per call). faster-whisper's sequential `WhisperModel.transcribe`, with
word timestamps, moves its window to the end of the last word and runs the encoder and decoder again on
what is left of the piece (the silence after the speech): on the clinical dictations that doubled the
encoder runs, spent 35-40% of the CPU and wrote most of the invented endings ("Thank you.", "Bye bye.").
The single pass has no temperature fallback, so a decode that loops (`_ran_away`) is done again by the
sequential decoder, which has it.

A piece whose decode leaves speech the VAD hears without a word is decoded again in parts cut around that
speech (unheard.py): Whisper can end a decode early and say nothing of what it skipped.

Words the model heard with low probability that sound like a clinical term are replaced by that term
(lexicon.py); the word keeps what was heard in `Word.heard`.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import ctranslate2  # type: ignore[import-untyped]
import faster_whisper  # type: ignore[import-untyped]

from multimed.ml.transcription import audio, unheard
from multimed.ml.transcription.base import (
    AudioSource,
    ProgressCallback,
    Transcriber,
    Transcript,
    TranscriptBuilder,
)
from multimed.ml.transcription.lexicon import Lexicon, clinical_lexicon
from multimed.ml.transcription.vocabulary import clinical_prompt

PIECE_SECONDS = 30.0  # Whisper's window: one piece, one prompted decode
# Decoding options beyond faster-whisper's defaults, chosen by benchmarks/transcribe.py: without timestamp
# tokens the decoder writes fewer tokens (7-13% less CPU) and whisper-base misheard fewer words on the
# clinical dictations (tiny.en about the same); word timestamps still come from the alignment pass (about
# 3-5% of the CPU). Beam 5 stays: beam 1-2 lost accuracy; beam 3 saved ~17% of the CPU at the same word
# error rate on the clinical set, a margin kept for accuracy since beam 5 already meets the speed target.
DECODING: dict[str, Any] = {"without_timestamps": True}
LOOP_COMPRESSION_RATIO = 2.4  # faster-whisper's own threshold for text that repeats itself
LOOP_REPEATS = 6  # a unit repeated this often in a row is a loop ("che" x 25), not dictation
# The `decoding` options the single pass takes too; the rest (temperatures, fallback thresholds) are the
# sequential decoder's.
_SINGLE_PASS_OPTIONS = {
    "without_timestamps",
    "hotwords",
    "no_repeat_ngram_size",
    "repetition_penalty",
    "patience",
    "length_penalty",
    "vad_parameters",
    "max_new_tokens",
    "suppress_tokens",
    "suppress_blank",
}
WHISPER_MAX_TOKENS = 448
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
        term_correction: bool = True,
        long_seconds: float = 30 * 60,
        window_seconds: float = 10 * 60,
        decoding: dict[str, Any] | None = None,
        single_pass: bool = True,
        recover_unheard: bool = True,
    ) -> None:
        if window_seconds <= 0 or long_seconds <= 0:
            raise ValueError("window_seconds and long_seconds must be positive")
        self.model = model_name
        self.version = f"{faster_whisper.__version__} (ctranslate2 {ctranslate2.__version__})"
        self._whisper, self._lock = _shared_model(model_dir, compute_type, threads)
        self._pipeline = faster_whisper.BatchedInferencePipeline(self._whisper)
        self._single_pass = single_pass
        self._recover_unheard = recover_unheard
        self._beam_size = beam_size
        self._language = language
        self._vad_filter = vad_filter
        self._default_prompt = self._checked_prompt(clinical_prompt() if vocabulary_prompt else "")
        self._long_seconds = long_seconds
        self._window_seconds = window_seconds
        self._decoding = DECODING | dict(decoding or {})
        self.lexicon: Lexicon | None = clinical_lexicon() if term_correction else None

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
                    for part_start, length, segments in self._decode_all_of(samples, initial_prompt):
                        part_offset = piece_offset + part_start
                        self._collect(builder, segments, part_offset, length, progress, self.lexicon)
                    progress.at(piece_offset + len(samples) / audio.SAMPLE_RATE)
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

    def _decode_all_of(
        self, samples: audio.Samples, initial_prompt: str
    ) -> list[tuple[float, float, list[Any]]]:
        """(start, length in seconds, segments) parts of a piece: the piece whole, or, when speech the VAD
        hears has no decoded word (unheard.py), the piece decoded again in parts cut around that speech."""
        segments = list(self._decode_piece(samples, initial_prompt))
        length = len(samples)
        whole = [(0.0, length / audio.SAMPLE_RATE, segments)]
        if not self._recover_unheard:
            return whole
        words = unheard.word_times(segments)
        cuts = unheard.cuts_around(unheard.unheard_spans(unheard.speech_spans(samples), words), words, length)
        if not cuts:
            return whole
        bounds = [0, *cuts, length]
        return [
            (
                a / audio.SAMPLE_RATE,
                (b - a) / audio.SAMPLE_RATE,
                list(self._decode_piece(samples[a:b], initial_prompt)),
            )
            for a, b in itertools.pairwise(bounds)
        ]

    def _decode_piece(self, samples: audio.Samples, initial_prompt: str) -> Iterable[Any]:
        """The segments of one piece of at most 30 s."""
        if self._single_pass:
            length = len(samples) / audio.SAMPLE_RATE
            segments, _info = self._pipeline.transcribe(
                samples,
                beam_size=self._beam_size,
                language=self._language,
                initial_prompt=f" {initial_prompt}" if initial_prompt else None,
                vad_filter=self._vad_filter,
                clip_timestamps=None if self._vad_filter else [{"start": 0.0, "end": length}],
                word_timestamps=True,
                batch_size=1,
                **{k: v for k, v in self._decoding.items() if k in _SINGLE_PASS_OPTIONS},
            )
            decoded = list(segments)
            # What a decode may write after the prompt and the start tokens before Whisper's length limit.
            budget = WHISPER_MAX_TOKENS - (self.prompt_tokens(initial_prompt) if initial_prompt else 0) - 8
            if not _ran_away(decoded, budget):
                return decoded
        segments, _info = self._whisper.transcribe(
            samples,
            beam_size=self._beam_size,
            language=self._language,
            initial_prompt=initial_prompt or None,
            condition_on_previous_text=False,
            vad_filter=self._vad_filter,
            word_timestamps=True,
            **self._decoding,
        )
        sequential: Iterable[Any] = segments
        return sequential

    @staticmethod
    def _collect(
        builder: TranscriptBuilder,
        segments: Iterable[Any],
        offset: float,
        length: float,
        progress: _Progress,
        lexicon: Lexicon | None = None,
    ) -> None:
        """Add a window's segments with absolute, clamped, non-decreasing times, misheard terms corrected."""
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
            words, heard = _corrected(words, lexicon) if lexicon is not None else (words, [])
            # One segment per sentence: a citation then points at the seconds of that sentence, however long
            # the stretch Whisper decoded as one segment (a whole piece, without timestamp tokens).
            for first, last in _sentences(words) or [(0, 0)]:
                part = words[first:last]
                builder.add(
                    text=segment.text,
                    start=part[0][1] if part and first > 0 else start,
                    end=part[-1][2] if part and last < len(words) else end,
                    words=part,
                    avg_logprob=segment.avg_logprob,
                    no_speech_prob=segment.no_speech_prob,
                    heard=heard[first:last],
                )
            progress.at(end)


def _ran_away(segments: list[Any], token_budget: int) -> bool:
    """True when a single-pass decode looks like a loop: text that repeats itself (faster-whisper's
    compression-ratio test), a unit of 1-3 tokens repeated LOOP_REPEATS times in a row ("Rechechecheche"), or
    output that ran until the model's length limit."""
    tokens = [t for s in segments for t in s.tokens]
    if len(tokens) >= token_budget or any(s.compression_ratio > LOOP_COMPRESSION_RATIO for s in segments):
        return True
    for size in (1, 2, 3):
        run = 1
        for i in range(size, len(tokens) - size + 1, size):
            run = run + 1 if tokens[i : i + size] == tokens[i - size : i] else 1
            if run >= LOOP_REPEATS:
                return True
    return False


def _sentences(words: list[tuple[str, float, float, float]]) -> list[tuple[int, int]]:
    """[first, last) word ranges of the sentences: a word ending in ".", "?" or "!" ends one."""
    ranges: list[tuple[int, int]] = []
    first = 0
    for i, (text, *_times) in enumerate(words):
        if text.rstrip().endswith((".", "?", "!")) or i == len(words) - 1:
            ranges.append((first, i + 1))
            first = i + 1
    return ranges


def _corrected(
    words: list[tuple[str, float, float, float]], lexicon: Lexicon
) -> tuple[list[tuple[str, float, float, float]], list[str]]:
    """`words` with the lexicon's corrections applied (a corrected run becomes one word spanning its
    times, with its lowest probability), and what was heard for each word ("" where nothing changed)."""
    out: list[tuple[str, float, float, float]] = []
    heard: list[str] = []
    done = 0
    for fix in lexicon.corrections([(w[0], w[3]) for w in words]):
        out += words[done : fix.start]
        heard += [""] * (fix.start - done)
        first, last = words[fix.start], words[fix.end - 1]
        lead = first[0][: len(first[0]) - len(first[0].lstrip())]
        trail = last[0][len(last[0].rstrip().rstrip(".,;:!?")) :].rstrip()
        probability = min(w[3] for w in words[fix.start : fix.end])
        term = fix.term[0].upper() + fix.term[1:] if first[0].strip()[:1].isupper() else fix.term
        out.append((f"{lead}{term}{trail}", first[1], last[2], probability))
        heard.append(fix.heard)
        done = fix.end
    return out + words[done:], heard + [""] * (len(words) - done)
