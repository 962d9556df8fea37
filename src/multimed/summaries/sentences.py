"""Narrative sentences of a de-identified text, with their spans: what the note summarizer chooses from.

Lab result lines, headers ("Ordering physician: [CLINICIAN_1]") and fragments are left out: results reach the
summary as findings, and a sentence made of surrogate labels says nothing clinical.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+(?=\s|$)|$)", re.MULTILINE)
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]+")
_LABEL = re.compile(r"\[[A-Z_]+_?\d*\]")
_HEADER = re.compile(r"^\s*[A-Za-z][A-Za-z /#.]{0,30}:\s*\S{0,40}\s*$")

MIN_WORDS = 4


def narrative_sentences(text: str, *, exclude: Sequence[tuple[int, int]] = ()) -> Iterator[tuple[int, int]]:
    """[start, end) of each sentence worth summarizing, skipping any overlapping an `exclude` span."""
    for match in _SENTENCE.finditer(text):
        start, end = _trimmed(text, match.start(), match.end())
        if end <= start:
            continue
        sentence = text[start:end]
        if any(s < end and start < e for s, e in exclude):
            continue
        words = _WORD.findall(_LABEL.sub(" ", sentence))
        if _HEADER.match(sentence) or len(words) < MIN_WORDS:
            continue
        if not any(word.islower() for word in words):  # "Test Result Flag Units Reference": a table header
            continue
        yield start, end


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in " \t\r\n|-•*":
        start += 1
    while end > start and text[end - 1] in " \t\r\n|":
        end -= 1
    return start, end
