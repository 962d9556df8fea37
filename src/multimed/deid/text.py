"""Apply a policy's operators to detected spans: de-identified text plus a map of every replacement."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from multimed.deid.dates import reduce_to_year, shift_date
from multimed.deid.policy import Operator, Policy
from multimed.deid.surrogates import SurrogateBook
from multimed.ml.phi.base import PhiSpan, PhiType

_DIGITS = re.compile(r"\d")


@dataclass(frozen=True)
class Replacement:
    """Where a replacement sits in the original and in the output; never the original characters."""

    original_start: int
    original_end: int
    start: int
    end: int
    type: PhiType
    operator: Operator
    score: float


@dataclass(frozen=True)
class DeidentifiedText:
    text: str
    replacements: list[Replacement]

    def counts(self) -> dict[str, int]:
        """Replacements by entity type."""
        return dict(Counter(r.type.value for r in self.replacements))

    def to_deidentified(self, position: int) -> int:
        """Map an offset in the original text to the de-identified text (inside a replacement: its start)."""
        spans = [((r.original_start, r.original_end), (r.start, r.end)) for r in self.replacements]
        return _map_offset(position, spans)

    def to_original(self, position: int) -> int:
        """Map an offset in the de-identified text back to the original (inside a replacement: its start)."""
        spans = [((r.start, r.end), (r.original_start, r.original_end)) for r in self.replacements]
        return _map_offset(position, spans)


def _map_offset(position: int, spans: Sequence[tuple[tuple[int, int], tuple[int, int]]]) -> int:
    """Carry an offset across sorted replacements given as (from range, to range)."""
    delta = 0
    for (start, end), (target_start, target_end) in spans:
        if position < start:
            break
        if position < end:
            return target_start
        delta = target_end - end
    return position + delta


def _zip3(value: str, restricted: frozenset[str]) -> str:
    digits = "".join(_DIGITS.findall(value))
    if len(digits) < 5:
        return "[ZIP]"
    return "000" if digits[:3] in restricted else digits[:3]


def _replace(
    span: PhiSpan, original: str, policy: Policy, book: SurrogateBook, date_shift: int | None
) -> str:
    operator = policy.operator(span.type)
    if operator is Operator.KEEP:
        return original
    if operator is Operator.YEAR:
        return reduce_to_year(original)
    if operator is Operator.SHIFT:
        return shift_date(original, date_shift) if date_shift is not None else reduce_to_year(original)
    if operator is Operator.AGE_90_PLUS:
        return "90+"
    if operator is Operator.ZIP3:
        return _zip3(original, policy.restricted_zip3)
    return book.label(span.type, original)


def deidentify_text(
    text: str, spans: Sequence[PhiSpan], *, policy: Policy, book: SurrogateBook, date_shift: int | None
) -> DeidentifiedText:
    """Replace every span (non-overlapping, sorted) by its operator's output."""
    out: list[str] = []
    replacements: list[Replacement] = []
    cursor = 0
    length = 0
    for span in sorted(spans, key=lambda s: s.start):
        if span.start < cursor:  # overlapping input: the earlier, already replaced span wins
            continue
        out.append(text[cursor : span.start])
        length += span.start - cursor
        new = _replace(span, text[span.start : span.end], policy, book, date_shift)
        replacements.append(
            Replacement(
                span.start,
                span.end,
                length,
                length + len(new),
                span.type,
                policy.operator(span.type),
                span.score,
            )
        )
        out.append(new)
        length += len(new)
        cursor = span.end
    out.append(text[cursor:])
    return DeidentifiedText("".join(out), replacements)
