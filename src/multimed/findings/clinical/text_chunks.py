"""Cut long text into pieces at sentence or line ends, so the red-flag pipeline's cost stays linear.

medspaCy's TargetMatcher rewrites doc.ents once per match and ConText compares every cue with every other cue
and target in the Doc, so one Doc costs the square of its length (6,800 words took 12 s). ConText's scope
never crosses a sentence, so running each piece on its own gives the same answers.
"""

from __future__ import annotations

import re

CHUNK_CHARS = 2000
_SENTENCE_END = re.compile(r"\n|(?<=[.!?;])[ \t]+")
_SPACE = re.compile(r"\s+")


def chunk_bounds(text: str, limit: int = CHUNK_CHARS) -> list[tuple[int, int]]:
    """[start, end) pieces covering the text, each at most `limit` long unless a word is longer."""
    bounds: list[tuple[int, int]] = []
    start = 0
    while len(text) - start > limit:
        window_end = start + limit
        cut = _last_end(_SENTENCE_END, text, start, window_end) or _last_end(_SPACE, text, start, window_end)
        if cut is None:
            cut = window_end
        bounds.append((start, cut))
        start = cut
    bounds.append((start, len(text)))
    return bounds


def _last_end(pattern: re.Pattern[str], text: str, start: int, end: int) -> int | None:
    last = None
    for match in pattern.finditer(text, start + 1, end):
        last = match.end()
    return last
