"""Finding known strings (a name, an ID) among OCR words, the way OCR actually shows them.

OCR splits and joins words differently from the source ("MRN 12345" for MRN12345, "SMITHAJOHN" for
SMITH^JOHN), drops or swaps a character, and changes case. A value matches a word when its letters
and digits (separators and accents ignored) equal the word's, occur inside it (values of 4+
characters), run across neighbouring words of a line, or differ from it by one character (values of
5+ characters). Alphabetic parts of a value (a name's components, 2+ letters, titles excepted) match
on their own."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

import numpy as np

from multimed.core.edit_distance import within_one_edit
from multimed.ml.ocr.base import Box, OcrResult, OcrWord

_TOKEN = re.compile(r"[^\W_]+")  # letters and digits of any script
# Name components that are titles, not names: matching every "DR" on an image would hide nothing.
TITLES = frozenset({"mr", "mrs", "ms", "miss", "dr", "prof", "jr", "sr", "md", "phd", "ii", "iii", "iv"})
MIN_WHOLE = 3
MIN_PART = 2
SUBSTRING_CHARS = 4
FUZZY_CHARS = 5


def tokens(text: str) -> list[str]:
    """The runs of letters and digits in `text`, case-folded and without accents ("Müller" -> "muller")."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return _TOKEN.findall(plain.casefold())


class KnownTextMatcher:
    """Matches OCR words against known values, tolerant of separators, case and one OCR error."""

    def __init__(self, values: Sequence[str]) -> None:
        self.whole: set[str] = set()
        self.parts: set[str] = set()
        for value in values:
            found = tokens(value)
            if len(joined := "".join(found)) >= MIN_WHOLE:
                self.whole.add(joined)
            self.parts.update(t for t in found if len(t) >= MIN_PART and t.isalpha() and t not in TITLES)

    def __bool__(self) -> bool:
        return bool(self.whole or self.parts)

    def boxes(self, result: OcrResult) -> set[Box]:
        """The boxes of every word that shows a known value or part of one."""
        return {line.words[i].box for line in result.lines for i in self.line_hits(line.words)}

    def line_hits(self, words: Sequence[OcrWord]) -> set[int]:
        """Indices of the words of one line that show a known value or part of one."""
        split = [tokens(w.text) for w in words]
        joined = ["".join(t) for t in split]
        found = {i for i, text in enumerate(joined) if self._word_matches(split[i], text)}
        # A value split over words ("MRN 12345", "123-45-678" read as three words): search the line
        # with the gaps removed and take every word the occurrence touches.
        line = "".join(joined)
        ends = np.cumsum([len(t) for t in joined])
        for term in self.whole:
            if len(term) < SUBSTRING_CHARS:
                continue
            at = line.find(term)
            while at >= 0:
                first = int(np.searchsorted(ends, at, side="right"))
                last = int(np.searchsorted(ends, at + len(term) - 1, side="right"))
                found.update(range(first, last + 1))
                at = line.find(term, at + 1)
        return found

    def _word_matches(self, split: list[str], text: str) -> bool:
        for part in self.parts:
            if part in split or (len(part) >= SUBSTRING_CHARS and part in text):
                return True
            if len(part) >= FUZZY_CHARS and any(within_one_edit(part, t) for t in split):
                return True
        return any(
            text == term or (len(term) >= FUZZY_CHARS and within_one_edit(term, text)) for term in self.whole
        )
