"""Severity bands and plausible ranges per vital sign, from data/vital-limits.csv (sources cited there)."""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass
from importlib import resources

from multimed.findings.draft import Severity

LIMITS_FILE = "vital-limits.csv"


@dataclass(frozen=True)
class VitalLimits:
    """One row of the table. Bounds are inclusive; None means no bound on that side."""

    key: str
    name: str
    loinc: str
    unit: str
    plausible_low: float | None
    plausible_high: float | None
    critical_low: float | None
    normal_low: float | None
    normal_high: float | None
    critical_high: float | None
    source: str

    def plausible(self, value: float) -> bool:
        """False for a number that cannot be this vital (a misread), so it is never reported."""
        if self.plausible_low is not None and value < self.plausible_low:
            return False
        return self.plausible_high is None or value <= self.plausible_high

    def severity(self, value: float) -> Severity:
        if self.critical_low is not None and value <= self.critical_low:
            return Severity.CRITICAL
        if self.critical_high is not None and value >= self.critical_high:
            return Severity.CRITICAL
        if self.normal_low is not None and value < self.normal_low:
            return Severity.ABNORMAL
        if self.normal_high is not None and value > self.normal_high:
            return Severity.ABNORMAL
        return Severity.NORMAL


def _bound(cell: str) -> float | None:
    return float(cell) if cell.strip() else None


def parse_limits(text: str) -> dict[str, VitalLimits]:
    """Rows by key; lines starting with '#' are the file's comments."""
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    table: dict[str, VitalLimits] = {}
    for row in csv.DictReader(lines):
        limits = VitalLimits(
            key=row["key"],
            name=row["name"],
            loinc=row["loinc"],
            unit=row["unit"],
            plausible_low=_bound(row["plausible_low"]),
            plausible_high=_bound(row["plausible_high"]),
            critical_low=_bound(row["critical_low"]),
            normal_low=_bound(row["normal_low"]),
            normal_high=_bound(row["normal_high"]),
            critical_high=_bound(row["critical_high"]),
            source=row["source"],
        )
        if limits.key in table:
            raise ValueError(f"{LIMITS_FILE}: key {limits.key!r} appears twice")
        table[limits.key] = limits
    return table


@functools.cache
def vital_limits() -> dict[str, VitalLimits]:
    """The packaged table, read once per process."""
    text = resources.files(__package__).joinpath("data", LIMITS_FILE).read_text(encoding="utf-8")
    return parse_limits(text)
