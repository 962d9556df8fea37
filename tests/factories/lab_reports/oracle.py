"""The expected severity of a printed result, computed independently of the parser under test.

Rules (task brief): CRITICAL when the value lies strictly beyond a critical limit of critical-values.csv,
compared after converting to the limit's unit, or when the lab printed a critical flag (HH, LL, CRIT,
Critical); ABNORMAL when the value lies outside the printed reference range or any other flag is printed;
else NORMAL. A "<x" / ">x" value is beyond a bound only when every value it allows is.
"""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass
from pathlib import Path

from factories.lab_reports.catalog import DATA, convert
from multimed.findings.draft import Severity

CRITICAL_FLAGS = frozenset({"HH", "LL", "CRIT", "CRITICAL", "AA", "!!"})
ABNORMAL_FLAGS = frozenset({"H", "L", "A", "*", "HIGH", "LOW", "ABN", "ABNORMAL"})


@dataclass(frozen=True)
class CriticalLimit:
    loinc: str
    unit: str
    low: float | None
    high: float | None


@functools.cache
def critical_limits(path: Path | None = None) -> dict[str, CriticalLimit]:
    """Limits by LOINC code from a critical-values CSV (default: this package's copy of the shared table)."""
    source = path or DATA / "critical-values.csv"
    with source.open(newline="", encoding="utf-8") as handle:
        return {
            row["loinc"]: CriticalLimit(
                row["loinc"],
                row["unit"],
                float(row["critical_low"]) if row["critical_low"] else None,
                float(row["critical_high"]) if row["critical_high"] else None,
            )
            for row in csv.DictReader(handle)
        }


def _below(value: float, qualifier: str | None, bound: float, *, inclusive: bool = False) -> bool:
    """Whether every value the printed "value" allows lies below `bound`."""
    if qualifier == ">":
        return False
    if qualifier == "<":
        return value <= bound
    return value <= bound if inclusive else value < bound


def _above(value: float, qualifier: str | None, bound: float, *, inclusive: bool = False) -> bool:
    if qualifier == "<":
        return False
    if qualifier == ">":
        return value >= bound
    return value >= bound if inclusive else value > bound


def beyond_critical(
    analyte: str, value: float, qualifier: str | None, unit: str | None, limit_loinc: str | None
) -> bool:
    """Strictly beyond the analyte's critical limit, in the limit's unit."""
    limit = critical_limits().get(limit_loinc or "")
    if limit is None:
        return False
    converted = convert(analyte, value, unit, limit.unit)
    if converted is None:
        raise ValueError(f"no conversion for {analyte} from {unit!r} to {limit.unit!r}")
    low = limit.low is not None and _below(converted, qualifier, limit.low)
    high = limit.high is not None and _above(converted, qualifier, limit.high)
    return low or high


def outside_range(
    value: float, qualifier: str | None, low: float | None, high: float | None, *, one_sided: bool
) -> bool:
    """Outside the printed range; a one-sided "<200" range excludes 200 itself, "3.5-5.1" includes 5.1."""
    below = low is not None and _below(value, qualifier, low, inclusive=one_sided)
    above = high is not None and _above(value, qualifier, high, inclusive=one_sided)
    return below or above


def expected_severity(
    *,
    analyte: str,
    value: float,
    qualifier: str | None,
    unit: str | None,
    ref_low: float | None,
    ref_high: float | None,
    flag: str | None,
    limit_loinc: str | None,
) -> Severity:
    """The severity the brief's rules give this printed result."""
    printed = (flag or "").strip().upper()
    if printed in CRITICAL_FLAGS or beyond_critical(analyte, value, qualifier, unit, limit_loinc):
        return Severity.CRITICAL
    one_sided = ref_low is None or ref_high is None
    if printed or outside_range(value, qualifier, ref_low, ref_high, one_sided=one_sided):
        return Severity.ABNORMAL
    return Severity.NORMAL
