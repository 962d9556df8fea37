"""Speech a decode left out: stretches the voice-activity detector hears as speech and no decoded word covers.

Whisper can end a decode early and say nothing of what it skipped. Measured on the committed two-dictation
fixture, cut into 8 s windows: tiny.en with the vocabulary prompt decoded the first window (5.55 s) as
"Patient reports chest pain for two days." and dropped "Potassium 6.8.", a critical value; without the prompt,
or given the last two seconds alone, it heard it. So a piece's words are checked against Silero VAD's speech
(the model faster-whisper ships), and a piece with an unheard stretch is decoded again in parts cut around it.

The VAD runs with short pauses (`FINE_VAD`), so each sentence is a span of its own; faster-whisper's default
(2 s pauses) joins a whole dictation into one span that any word would cover.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from faster_whisper.vad import VadOptions, get_speech_timestamps  # type: ignore[import-untyped]

from multimed.ml.transcription.audio import SAMPLE_RATE, Samples

FINE_VAD = VadOptions(min_silence_duration_ms=300, speech_pad_ms=100)
MIN_UNHEARD_SECONDS = 0.6  # shorter stretches are a cough, a breath or a word's tail
MAX_HEARD_SHARE = 0.25  # a span counts as unheard when words cover less than this share of it
WORD_PAD_SECONDS = 0.1  # word timestamps come from alignment and are a little off at the edges
EDGE_SECONDS = 0.2  # quiet kept around an unheard span where no word bounds it


def speech_spans(samples: Samples) -> list[tuple[int, int]]:
    """[start, end) sample ranges the VAD hears as speech."""
    return [
        (s["start"], s["end"]) for s in get_speech_timestamps(samples, FINE_VAD, sampling_rate=SAMPLE_RATE)
    ]


def word_times(segments: Iterable[Any]) -> list[tuple[float, float]]:
    """(start, end) seconds of every decoded word, in order."""
    return [(w.start, w.end) for s in segments for w in (s.words or ())]


def unheard_spans(
    speech: Sequence[tuple[int, int]], words: Sequence[tuple[float, float]]
) -> list[tuple[int, int]]:
    """The speech spans of at least MIN_UNHEARD_SECONDS that words cover less than MAX_HEARD_SHARE of."""
    unheard = []
    for start, end in speech:
        length = (end - start) / SAMPLE_RATE
        if length < MIN_UNHEARD_SECONDS:
            continue
        a, b = start / SAMPLE_RATE, end / SAMPLE_RATE
        covered = sum(
            max(0.0, min(b, w_end + WORD_PAD_SECONDS) - max(a, w_start - WORD_PAD_SECONDS))
            for w_start, w_end in words
        )
        if covered < MAX_HEARD_SHARE * length:
            unheard.append((start, end))
    return unheard


def cuts_around(
    unheard: Sequence[tuple[int, int]], words: Sequence[tuple[float, float]], length: int
) -> list[int]:
    """Sample indices that set each unheard span apart as a part of its own: on each side, the middle of
    the gap to the nearest word, or EDGE_SECONDS beyond the span where no word is on that side."""
    edge = round(EDGE_SECONDS * SAMPLE_RATE)
    cuts: set[int] = set()
    for start, end in unheard:
        before = [w_end * SAMPLE_RATE for _, w_end in words if w_end * SAMPLE_RATE <= start]
        after = [w_start * SAMPLE_RATE for w_start, _ in words if w_start * SAMPLE_RATE >= end]
        cuts.add(round((max(before) + start) / 2) if before else start - edge)
        cuts.add(round((end + min(after)) / 2) if after else end + edge)
    return sorted(c for c in cuts if 0 < c < length)
