"""Splitting long texts for spaCy at paragraph, line or sentence breaks, with overlapping edges."""

from __future__ import annotations

import re
from dataclasses import dataclass

_BREAKS = (re.compile(r"\n[ \t]*\n"), re.compile(r"\n"), re.compile(r"[.!?][ \t]+"), re.compile(r"[ \t]+"))


@dataclass(frozen=True)
class Chunk:
    """[start, end) is analyzed; findings starting in [keep_start, keep_end) belong to this chunk."""

    start: int
    end: int
    keep_start: int
    keep_end: int


def _cut(text: str, lo: int, hi: int) -> int:
    """The last natural break in text[lo:hi], else hi."""
    for pattern in _BREAKS:
        ends = [match.end() for match in pattern.finditer(text, lo, hi)]
        if ends:
            return ends[-1]
    return hi


def split_into_chunks(text: str, *, max_chars: int, overlap: int) -> list[Chunk]:
    """Chunks of at most `max_chars`; neighbours share `overlap` characters so no finding is cut in two."""
    if len(text) <= max_chars:
        return [Chunk(0, len(text), 0, len(text))]
    cores: list[tuple[int, int]] = []
    pos = 0
    step = max_chars - 2 * overlap
    while pos < len(text):
        hi = min(len(text), pos + step)
        end = hi if hi == len(text) else _cut(text, pos + step // 2, hi)
        cores.append((pos, end))
        pos = end
    return [Chunk(max(0, start - overlap), min(len(text), end + overlap), start, end) for start, end in cores]
