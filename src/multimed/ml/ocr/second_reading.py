"""A second engine's reading of the lines the first engine was unsure of, taken only when it is safe.

Tesseract reads a clean lab page almost exactly; where it doubts a line (low line confidence) EasyOCR's
recogniser reads the cropped line again (one recogniser pass, no detection). Its text replaces
Tesseract's only when EasyOCR is confident on its own scale AND the line shows the same count of numeric
tokens: a second engine that splits a number ("6 . 8") must never change how many values a lab line holds.

The two confidences are not on one scale. EasyOCR scores a whole line as a length-penalised product of its
character probabilities: exact lab lines score 40-80 where Tesseract gives the same line 75-84, so "EasyOCR
more confident than Tesseract" replaced 0-5 of ~120 doubted lines and fixed nothing. Its own floor of 50
replaced the lines where Tesseract had misread a digit or bracket ("149.08", "(B.6-1.2)", "(98-187)",
"{8.5-10.5)") and made no page worse. On clean 300 dpi pages it changes no number, so it is off by default
(MULTIMED_OCR_SECOND_READING; benchmarks/extract.py measures it).

With a `LineCheck` the choice is the domain's instead (findings/labs/ocr_check.py for lab reports): it names
the words of a line worth a second look (an analyte name nothing spells on a result line, a value Tesseract
doubted), only those words are taken from the second reading (words aligned by their text), and the check
accepts the merged line only when it reads consistently (the analyte recognised and its unit confirming it).
The rest of the line stays the first engine's: EasyOCR's reading of units and column rules ("KluL", "!" for
"|") is worse than Tesseract's. A line that took words from the second engine names both engines.
"""

from __future__ import annotations

import difflib
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt

from multimed.ml.ocr.base import PSM_SINGLE_LINE, Box, OcrEngine, OcrLine, OcrResult, OcrWord

# Tesseract gives most lines of a clean 300 dpi lab page 88-96; its misread lines scored 64-84. Below this a
# line is worth a second look (80 missed misreads at 80-84; 90 re-read many good lines for nothing).
DOUBT_BELOW = 85.0
# EasyOCR's whole-line confidence from which its reading is taken (30-40 let spurious punctuation in on
# speckled scans; 50 did not).
TRUST_FROM = 50.0
# Padding around the line box, as a share of its height: room for ascenders the box clipped, not enough to
# reach the neighbouring line (lab lines are ~1.5 line heights apart).
PAD_SHARE = 0.15
_NUMERIC = re.compile(r"\d+(?:[.,]\d+)?")


@dataclass(frozen=True)
class SecondReadingReport:
    """What a second reading did to one image: counts and time only, never text (it may hold PHI)."""

    doubted: int
    replaced: int
    seconds: float


class LineCheck(Protocol):
    """What a domain knows about a line that the engines do not. Plain text and confidences only: the
    domain never sees images or engines."""

    def doubtful_words(self, words: Sequence[tuple[str, float]]) -> list[int]:
        """Indices of the words (text, 0-100 confidence) of one line worth reading again; [] for none."""
        ...

    def consistent(self, first: str, second: str) -> bool:
        """Whether `second` (the first reading with some words read again) may replace `first`."""
        ...


def numeric_shape(text: str) -> int:
    """How many numbers a line states: "Potassium 6.8 (3.5-5.1)" -> 3; "6 . 8" counts as two."""
    return len(_NUMERIC.findall(text))


def crop_box(box: Box, shape: tuple[int, ...], *, pad_share: float = PAD_SHARE) -> Box:
    """The line box grown by a share of its height on every side, clipped to the image."""
    left, top, width, height = box
    pad = max(2, round(height * pad_share))
    x0, y0 = max(0, left - pad), max(0, top - pad)
    x1, y1 = min(shape[1], left + width + pad), min(shape[0], top + height + pad)
    return x0, y0, max(0, x1 - x0), max(0, y1 - y0)


def _shifted(line: OcrLine, dx: int, dy: int) -> OcrLine:
    words = tuple(
        OcrWord(w.text, w.confidence, (w.box[0] + dx, w.box[1] + dy, w.box[2], w.box[3])) for w in line.words
    )
    box = (line.box[0] + dx, line.box[1] + dy, line.box[2], line.box[3])
    return OcrLine(line.text, line.confidence, box, words, line.engine)


def merge_words(first: OcrLine, second: OcrLine, doubtful: Sequence[int]) -> list[OcrWord] | None:
    """`first`'s words with each stretch holding a doubtful word replaced by what `second` read there
    (words aligned by text); None when the second reading changes none of them or drops one."""
    ours, theirs = [w.text for w in first.words], [w.text for w in second.words]
    matcher = difflib.SequenceMatcher(None, ours, theirs, autojunk=False)
    marked = set(doubtful)
    merged: list[OcrWord] = []
    changed = False
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "replace" and i2 - i1 == j2 - j1:  # word for word: only the doubtful ones change
            for i, j in zip(range(i1, i2), range(j1, j2), strict=True):
                merged.append(second.words[j] if i in marked else first.words[i])
                changed = changed or i in marked
        elif tag == "replace" and marked.intersection(range(i1, i2)):  # split or joined: "47 .4", "47.4"
            merged.extend(second.words[j1:j2])
            changed = True
        elif tag == "delete" and marked.intersection(range(i1, i2)):
            return None  # the second engine saw nothing where the first saw a doubtful word
        elif tag != "insert":
            merged.extend(first.words[i1:i2])
    return merged if changed else None


class SecondReading:
    """Re-reads doubtful lines of a first engine's result with a second engine (any thread may call it)."""

    def __init__(
        self,
        reader: OcrEngine,
        *,
        doubt_below: float = DOUBT_BELOW,
        trust_from: float = TRUST_FROM,
        check: LineCheck | None = None,
    ) -> None:
        self.reader = reader
        self.doubt_below = doubt_below
        self.trust_from = trust_from
        self.check = check

    @property
    def label(self) -> str:
        return f"{self.reader.name} {self.reader.version}"

    def better_line(self, line: OcrLine, second: OcrLine) -> bool:
        """Whether the second reading of a doubted line may replace the first."""
        return second.confidence >= self.trust_from and numeric_shape(second.text) == numeric_shape(line.text)

    def apply(self, image: npt.NDArray[np.uint8], result: OcrResult) -> tuple[OcrResult, SecondReadingReport]:
        """`result` (read from `image`) with each doubtful line replaced where the second reading is safer."""
        start = time.perf_counter()
        lines: list[OcrLine] = []
        doubted = replaced = 0
        both = f"{result.engine} {result.version} + {self.label}"
        for line in result.lines:
            doubtful = self._doubtful(line)
            if not doubtful:
                lines.append(line)
                continue
            doubted += 1
            read = self._read_again(image, line)
            better = None if read is None else self._better(line, read, doubtful, both)
            lines.append(line if better is None else better)
            replaced += better is not None
        seconds = time.perf_counter() - start
        if not replaced:
            return result, SecondReadingReport(doubted, 0, seconds)
        merged = OcrResult.of(
            lines, engine=result.engine, version=result.version, seconds=result.seconds + seconds
        )
        return merged, SecondReadingReport(doubted, replaced, seconds)

    def _doubtful(self, line: OcrLine) -> list[int]:
        if self.check is not None:
            return self.check.doubtful_words([(w.text, w.confidence) for w in line.words])
        return list(range(len(line.words))) if line.confidence < self.doubt_below else []

    def _read_again(self, image: npt.NDArray[np.uint8], line: OcrLine) -> OcrLine | None:
        """The second engine's reading of the line's crop, in page coordinates; None unless one line."""
        x, y, w, h = crop_box(line.box, image.shape)
        if not (w and h):
            return None
        read = self.reader.recognize(np.ascontiguousarray(image[y : y + h, x : x + w]), psm=PSM_SINGLE_LINE)
        return _shifted(read.lines[0], x, y) if len(read.lines) == 1 else None

    def _better(self, line: OcrLine, read: OcrLine, doubtful: list[int], both: str) -> OcrLine | None:
        """The line to keep instead of `line`, or None to keep it."""
        if self.check is None:
            if not self.better_line(line, read):
                return None
            return OcrLine(read.text, read.confidence, read.box, read.words, self.label)
        words = merge_words(line, read, doubtful)
        if words is None:
            return None
        merged = OcrLine.of(words, confidence=line.confidence, box=line.box, engine=both)
        return merged if self.check.consistent(line.text, merged.text) else None
