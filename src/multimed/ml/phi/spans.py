"""Turning overlapping candidate findings into the non-overlapping spans the interface promises."""

from __future__ import annotations

from dataclasses import dataclass, replace

from multimed.ml.phi.base import PhiSpan, PhiType

# On equal scores the more specific type wins: a role over PERSON, FAX over PHONE, a labelled number over ID.
_SPECIFICITY = {
    PhiType.PATIENT: 9,
    PhiType.CLINICIAN: 9,
    PhiType.RELATIVE: 9,
    PhiType.FAX: 9,
    PhiType.MRN: 9,
    PhiType.SSN: 9,
    PhiType.ACCOUNT: 8,
    PhiType.LICENSE: 8,
    PhiType.VEHICLE: 8,
    PhiType.DEVICE: 8,
    PhiType.EMAIL: 8,
    PhiType.URL: 7,
    PhiType.IP: 8,
    PhiType.DATE: 8,
    PhiType.AGE: 8,
    PhiType.ADDRESS: 8,
    PhiType.EMPLOYER: 8,
    PhiType.ZIP: 7,
    PhiType.STATE: 7,
    PhiType.CITY: 6,
    PhiType.ORGANIZATION: 6,
    PhiType.PHONE: 7,
    PhiType.PERSON: 5,
    PhiType.ID: 4,
}


@dataclass(frozen=True)
class Candidate:
    """A finding before overlaps are resolved."""

    start: int
    end: int
    type: PhiType
    score: float
    recognizer: str

    def rank(self) -> tuple[float, int, int]:
        """Higher is better: score, then type specificity, then length."""
        return (round(self.score, 6), _SPECIFICITY[self.type], self.end - self.start)


def merge(candidates: list[Candidate]) -> list[PhiSpan]:
    """Overlapping findings become one span covering them all, typed by the best of them.

    Taking the union, not the winner alone, keeps every character some recognizer flagged.
    """
    spans: list[PhiSpan] = []
    group: list[Candidate] = []
    group_end = -1
    for candidate in sorted(candidates, key=lambda c: (c.start, -c.end)):
        if group and candidate.start >= group_end:
            spans.append(_collapse(group))
            group = []
        group.append(candidate)
        group_end = max(group_end, candidate.end) if len(group) > 1 else candidate.end
    if group:
        spans.append(_collapse(group))
    return spans


def _collapse(group: list[Candidate]) -> PhiSpan:
    best = max(group, key=Candidate.rank)
    return PhiSpan(
        start=min(c.start for c in group),
        end=max(c.end for c in group),
        type=best.type,
        score=max(c.score for c in group),
        recognizer=best.recognizer,
    )


def to_word_edges(text: str, candidate: Candidate) -> Candidate:
    """The candidate grown to whole words: a span may not end inside a token.

    A name rule that stops one letter into "MD" would leave "D" after the surrogate ("[CLINICIAN_2]D"); a
    number rule that starts after a leading letter would leave "A" of "A21-313758". Growing, not shrinking,
    fails closed.
    """
    start, end = candidate.start, candidate.end
    while start > 0 and text[start - 1].isalnum() and text[start].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum() and text[end - 1].isalnum():
        end += 1
    if (start, end) == (candidate.start, candidate.end):
        return candidate
    return replace(candidate, start=start, end=end)
