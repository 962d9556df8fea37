"""Assertions on detector output shared by the PHI tests."""

from __future__ import annotations

from multimed.ml.phi.base import PhiSpan, PhiType


def covered_by(spans: list[PhiSpan], text: str, substring: str, kind: PhiType | None = None) -> bool:
    """Whether every character of `substring` (first occurrence) lies in spans, all of `kind` when given."""
    start = text.index(substring)
    end = start + len(substring)
    for position in range(start, end):
        if text[position].isspace():
            continue
        hit = [s for s in spans if s.start <= position < s.end]
        if not hit or (kind is not None and hit[0].type is not kind):
            return False
    return True


def overlapping(spans: list[PhiSpan], text: str, substring: str) -> list[PhiSpan]:
    """Spans that touch the first occurrence of `substring`."""
    start = text.index(substring)
    end = start + len(substring)
    return [s for s in spans if s.start < end and start < s.end]
