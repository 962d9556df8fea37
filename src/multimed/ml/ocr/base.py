"""The OCR engine interface and its results: words and lines with confidences and pixel boxes."""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

Box = tuple[int, int, int, int]
"""(left, top, width, height) in pixels of the image given to the engine."""

# Tesseract page segmentation modes, the values `recognize(psm=...)` takes; other engines may ignore them.
PSM_AUTO = 3
PSM_SINGLE_BLOCK = 6
PSM_SINGLE_LINE = 7
PSM_SPARSE_TEXT = 11  # scattered text with no page layout: annotations burned into an image


@dataclass(frozen=True)
class OcrWord:
    """One recognised word; `confidence` is 0-100."""

    text: str
    confidence: float
    box: Box


@dataclass(frozen=True)
class OcrLine:
    """A text line: its words joined by single spaces. `engine` names the engines that read it ("tesseract
    5.5.4 + easyocr 1.7.2") when that is not the result's engine alone (second_reading.py)."""

    text: str
    confidence: float
    box: Box
    words: tuple[OcrWord, ...]
    engine: str | None = None

    @classmethod
    def of(
        cls, words: Sequence[OcrWord], *, confidence: float, box: Box, engine: str | None = None
    ) -> OcrLine:
        return cls(" ".join(w.text for w in words), confidence, box, tuple(words), engine)


@dataclass(frozen=True)
class OcrResult:
    """Everything one image gave. `text` is the lines joined by newlines, so spans in it map to words."""

    text: str
    lines: tuple[OcrLine, ...]
    engine: str
    version: str
    seconds: float

    @classmethod
    def of(cls, lines: Sequence[OcrLine], *, engine: str, version: str, seconds: float) -> OcrResult:
        kept = tuple(line for line in lines if line.words)
        return cls("\n".join(line.text for line in kept), kept, engine, version, seconds)

    @property
    def words(self) -> list[OcrWord]:
        return [w for line in self.lines for w in line.words]

    def word_spans(self) -> Iterator[tuple[int, int, OcrWord]]:
        """Each word with its [start, end) character offsets in `text`."""
        offset = 0
        for line in self.lines:
            for word in line.words:
                yield offset, offset + len(word.text), word
                offset += len(word.text) + 1  # the space after it, or the newline ending the line

    def words_in(self, start: int, end: int) -> list[OcrWord]:
        """The words that overlap the character span [start, end) of `text`."""
        return [w for s, e, w in self.word_spans() if s < end and start < e]

    def unscaled(self, factor: float) -> OcrResult:
        """The same result with boxes mapped back from an image enlarged by `factor`."""
        if factor == 1:
            return self
        lines = tuple(
            OcrLine(
                line.text,
                line.confidence,
                scale_box(line.box, 1 / factor),
                tuple(OcrWord(w.text, w.confidence, scale_box(w.box, 1 / factor)) for w in line.words),
                line.engine,
            )
            for line in self.lines
        )
        return OcrResult(self.text, lines, self.engine, self.version, self.seconds)


def scale_box(box: Box, factor: float) -> Box:
    """`box` in an image resized by `factor`, grown outwards to whole pixels (it never shrinks the text)."""
    left, top, width, height = box
    x0, y0 = math.floor(left * factor), math.floor(top * factor)
    x1, y1 = math.ceil((left + width) * factor), math.ceil((top + height) * factor)
    return x0, y0, x1 - x0, y1 - y0


def merge_boxes(boxes: Iterable[Box]) -> list[Box]:
    """Overlapping boxes (one word read twice, say) joined into their bounding box; others unchanged."""
    merged: list[Box] = []
    for box in sorted(set(boxes)):
        x0, y0, x1, y1 = box[0], box[1], box[0] + box[2], box[1] + box[3]
        # Growing may reach boxes it did not touch before: repeat until nothing overlaps.
        while touching := [
            m for m in merged if m[0] < x1 and x0 < m[0] + m[2] and m[1] < y1 and y0 < m[1] + m[3]
        ]:
            for other in touching:
                merged.remove(other)
                x0, y0 = min(x0, other[0]), min(y0, other[1])
                x1, y1 = max(x1, other[0] + other[2]), max(y1, other[1] + other[3])
        merged.append((x0, y0, x1 - x0, y1 - y0))
    return merged


class OcrEngine(ABC):
    """Reads text from an image. Implementations load their models once and are safe to share by threads."""

    name: str
    version: str

    @abstractmethod
    def recognize(self, image: npt.NDArray[np.uint8], *, psm: int | None = None) -> OcrResult:
        """Words and lines in an 8-bit grayscale (H, W) image of dark text on a light background.

        `psm` overrides the page segmentation mode. Invert light-on-dark images first
        (`preprocess.light_background`).
        """
