"""A PHI detector that finds exactly the strings it is given: for unit tests of the operators and the gate.

The real detector (tests/phi) has its own tests; integration tests use it too.
"""

from __future__ import annotations

from collections.abc import Sequence

from multimed.ml.phi.base import PhiDetector, PhiSpan, PhiType


class ListDetector(PhiDetector):
    name = "list"
    version = "test"

    def __init__(self, entries: dict[str, PhiType]) -> None:
        self.entries = entries

    def analyze(
        self, text: str, *, threshold: float | None = None, known_values: Sequence[str] = ()
    ) -> list[PhiSpan]:
        spans: list[PhiSpan] = []
        for value, kind in {**self.entries, **{v: PhiType.PATIENT for v in known_values}}.items():
            start = text.find(value)
            while start >= 0:
                spans.append(PhiSpan(start, start + len(value), kind, 0.9, "list"))
                start = text.find(value, start + 1)
        spans.sort(key=lambda s: (s.start, -(s.end - s.start)))
        kept: list[PhiSpan] = []
        for span in spans:
            if not kept or span.start >= kept[-1].end:
                kept.append(span)
        return kept


class ShyDetector(ListDetector):
    """Reports its weak findings only when asked with a low threshold, as a gate rescan does."""

    def __init__(self, entries: dict[str, PhiType], weak: dict[str, PhiType]) -> None:
        super().__init__(entries)
        self.weak = weak

    def analyze(
        self, text: str, *, threshold: float | None = None, known_values: Sequence[str] = ()
    ) -> list[PhiSpan]:
        strong = super().analyze(text, known_values=known_values)
        if threshold is None or threshold > 0.35:
            return strong
        return strong + ListDetector(self.weak).analyze(text)
