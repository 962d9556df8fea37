"""What every finding extractor returns: a finding with the span of de-identified text that states it.

Extractors are pure functions of the text (and of configuration such as critical limits); the analysis stage
turns drafts into stored `Finding` rows with full citations (file, version, page or seconds, quote).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class Severity(enum.StrEnum):
    CRITICAL = "CRITICAL"
    ABNORMAL = "ABNORMAL"
    NORMAL = "NORMAL"

    @property
    def rank(self) -> int:
        """0 for the most urgent; sorts CRITICAL before ABNORMAL before NORMAL."""
        return _RANK[self]


_RANK = {Severity.CRITICAL: 0, Severity.ABNORMAL: 1, Severity.NORMAL: 2}


class FindingKind(enum.StrEnum):
    LAB = "LAB"
    VITAL = "VITAL"
    CONDITION = "CONDITION"
    IMAGING = "IMAGING"


@dataclass(frozen=True)
class FindingDraft:
    """One finding. `start`/`end` index the text it was read from; `text[start:end]` is the quote.

    `value_text` is the value as printed ("<0.01", "160/95"); `value` the number after unit normalization
    (None where there is none); `unit` the canonical unit. `flag` is the printed flag normalized to HL7 v2
    table 0078 (L, H, LL, HH, A, AA, N, <, >) where it maps, else as printed upper-cased. `details` holds
    extractor-specific facts that are not identifiers (original unit and value before conversion, ConText
    modifiers such as "historical", the rule that fired, the specimen).
    """

    kind: FindingKind
    name: str
    severity: Severity
    start: int
    end: int
    code: str | None = None
    value: float | None = None
    value_text: str | None = None
    qualifier: str | None = None
    unit: str | None = None
    reference_low: float | None = None
    reference_high: float | None = None
    flag: str | None = None
    negated: bool = False
    specimen: str | None = None
    details: dict[str, str | float | bool | None] = field(default_factory=dict)
