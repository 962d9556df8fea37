"""The speech-to-text interface and its results: words and segments with seconds and text offsets.

`Transcript.text` is the segments' texts joined by single spaces; every segment and word keeps its
[char_start, char_end) in that text, so a citation of a character span maps back to seconds of audio.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

AudioSource = str | Path | BinaryIO
"""A path or a readable (seekable) binary file of any container PyAV decodes."""

ProgressCallback = Callable[[float], None]
"""Called with the fraction of the audio done, 0.0-1.0, non-decreasing; 1.0 once at the end."""


@dataclass(frozen=True)
class Word:
    """One recognised word (punctuation attached) and its position in time and in `Transcript.text`."""

    text: str
    start: float
    end: float
    probability: float
    char_start: int
    char_end: int
    heard: str = ""  # what the model wrote when a lexicon correction replaced it ("" when as heard)


@dataclass(frozen=True)
class Segment:
    """A stretch of speech decoded together; `text` is `Transcript.text[char_start:char_end]`."""

    text: str
    start: float
    end: float
    words: tuple[Word, ...]
    avg_logprob: float
    no_speech_prob: float
    char_start: int
    char_end: int


@dataclass(frozen=True)
class Transcript:
    """Everything one recording gave, with the engine, model and version that produced it."""

    text: str
    segments: tuple[Segment, ...]
    language: str
    duration_seconds: float
    engine: str
    model: str
    version: str
    seconds_processed: float  # wall-clock time spent transcribing
    rtf: float  # real-time factor: seconds_processed / duration_seconds

    @property
    def words(self) -> list[Word]:
        return [w for s in self.segments for w in s.words]

    def segment_at(self, offset: int) -> Segment | None:
        """The segment whose text holds character `offset` of `text`, if any."""
        return next((s for s in self.segments if s.char_start <= offset < s.char_end), None)

    def time_span(self, char_start: int, char_end: int) -> tuple[float, float] | None:
        """Seconds [start, end] of the audio that said `text[char_start:char_end]`; None outside speech.

        Uses the words that overlap the span, else (no word timestamps) the overlapping segments.
        """
        words = [w for w in self.words if w.char_start < char_end and char_start < w.char_end]
        if words:
            return min(w.start for w in words), max(w.end for w in words)
        segments = [s for s in self.segments if s.char_start < char_end and char_start < s.char_end]
        if segments:
            return min(s.start for s in segments), max(s.end for s in segments)
        return None


@dataclass
class TranscriptBuilder:
    """Collects decoded segments in order and lays out `Transcript.text` with their offsets."""

    _parts: list[str] = field(default_factory=list)
    _length: int = 0
    _segments: list[Segment] = field(default_factory=list)

    def add(
        self,
        *,
        text: str,
        start: float,
        end: float,
        words: Sequence[tuple[str, float, float, float]],
        avg_logprob: float,
        no_speech_prob: float,
        heard: Sequence[str] = (),
    ) -> Segment | None:
        """Append a segment; `words` are (text, start, end, probability), `heard` (when given) what the model
        wrote for each word that a correction replaced ("" for the others). Empty segments are dropped.

        With words, the segment text is rebuilt from them, so each word's offsets are exact.
        """
        was = [*heard, *[""] * (len(words) - len(heard))]
        kept = [(*w, was[i]) for i, w in enumerate(words) if w[0].strip()]
        body = "".join(w[0] for w in kept).strip() if kept else text.strip()
        if not body:
            return None
        separator = " " if self._parts else ""
        seg_start = self._length + len(separator)
        placed: list[Word] = []
        cursor = 0
        for word_text, w_start, w_end, probability, written in kept:
            stripped = word_text.strip()
            at = body.find(stripped, cursor)
            if at < 0:  # cannot happen when body was built from these words; keep the segment usable
                continue
            cursor = at + len(stripped)
            char_start, char_end = seg_start + at, seg_start + at + len(stripped)
            placed.append(Word(stripped, w_start, w_end, probability, char_start, char_end, written))
        segment = Segment(
            body, start, end, tuple(placed), avg_logprob, no_speech_prob, seg_start, seg_start + len(body)
        )
        self._parts.append(separator + body)
        self._length = segment.char_end
        self._segments.append(segment)
        return segment

    @property
    def last_end(self) -> float:
        return self._segments[-1].end if self._segments else 0.0

    def build(
        self,
        *,
        language: str,
        duration_seconds: float,
        engine: str,
        model: str,
        version: str,
        seconds_processed: float,
    ) -> Transcript:
        rtf = seconds_processed / duration_seconds if duration_seconds > 0 else 0.0
        return Transcript(
            "".join(self._parts),
            tuple(self._segments),
            language,
            duration_seconds,
            engine,
            model,
            version,
            seconds_processed,
            rtf,
        )


class Transcriber(ABC):
    """Turns recorded speech into text. Implementations load their model once and are thread-safe."""

    name: str  # the engine, e.g. "faster-whisper"
    model: str  # the weights, e.g. "whisper-base"
    version: str  # the engine's version (and its runtime's)

    @abstractmethod
    def transcribe(
        self,
        path_or_file: AudioSource,
        *,
        prompt: str | None = None,
        on_progress: ProgressCallback | None = None,
    ) -> Transcript:
        """The transcript of a recording in any supported container.

        `prompt` replaces the engine's default vocabulary prompt ("" for none). Raises
        `audio.AudioError` when the file cannot be decoded or holds no audio.
        """
