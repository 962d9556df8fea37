"""The placed value each report features, cycled so a batch covers every near-limit case on both sides."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from factories.lab_reports.catalog import Analyte, analytes, scenarios
from factories.lab_reports.values import lab_flag, printing, severity_of
from multimed.findings.draft import Severity


@dataclass(frozen=True)
class Featured:
    analyte: Analyte
    si: bool
    value: str
    forced_flag: bool  # printed critical by the lab's own stricter limit
    critical: bool


@functools.cache
def _featured() -> tuple[tuple[Featured, ...], tuple[Featured, ...]]:
    """(critical, not critical) scenarios, in scenarios.json order."""
    first: dict[str, Analyte] = {}
    for analyte in analytes():
        first.setdefault(analyte.name, analyte)
    by_kind: dict[str, tuple[list[Featured], list[Featured]]] = {}
    for kind, items in scenarios().items():
        critical, other = by_kind.setdefault(kind, ([], []))
        for item in items:
            analyte, forced = first[item["analyte"]], kind == "lab_critical_flags"
            p = printing(analyte, si=item["si"], rng=None)
            severity = severity_of(p, item["value"], lab_flag(p, item["value"], force_critical=forced))
            is_critical = severity is Severity.CRITICAL
            (critical if is_critical else other).append(
                Featured(analyte, item["si"], item["value"], forced, is_critical)
            )
    # Kinds take turns, so even a short batch holds qualified values and lab-flagged criticals.
    return _interleave([c for c, _ in by_kind.values()]), _interleave([o for _, o in by_kind.values()])


def _interleave(lists: list[list[Featured]]) -> tuple[Featured, ...]:
    longest = max(len(items) for items in lists)
    return tuple(items[i] for i in range(longest) for items in lists if i < len(items))


def featured(index: int) -> Featured:
    """Report `index`'s featured value: critical for every third report (0, 3, 6, ...), else not."""
    critical, other = _featured()
    if index % 3 == 0:
        return critical[(index // 3) % len(critical)]
    return other[(index - index // 3 - 1) % len(other)]
