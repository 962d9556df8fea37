"""Severity of one lab result: CRITICAL, ABNORMAL or NORMAL, from critical limits, reference range and flag.

Rules (the reference's wording: values *beyond* a limit are critical):
- CRITICAL when the value is beyond a critical limit. A value equal to a limit is not critical; it is abnormal
  only if it is outside the printed reference range or flagged.
- A qualified value ("<2.0", ">1000") stands for every value it admits: it is critical when all of them are
  beyond the limit ("<2.0" potassium, ">1000" platelets; "<0.01" troponin is not). When only some are
  ("<3.0" potassium), the result is at least ABNORMAL and `critical_possible` is set: not certain, not silent.
- CRITICAL when the printed flag says critical (HH, LL, AA, CRIT, a legend's "*"): a printed critical flag is
  never downgraded.
- ABNORMAL when the value is certainly outside the printed reference range, or any flag but N is printed.
- Else NORMAL.
Comparisons allow a relative 1e-9 so that a converted value equal to a limit stays equal
(70 g/L -> 7.000000000000001 g/dL).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from multimed.findings.draft import Severity
from multimed.findings.labs.flags import FlagReading, normalized

_TOLERANCE = 1e-9


@dataclass(frozen=True)
class Interval:
    """The values a printed result admits: "6.8" is [6.8, 6.8], "<0.01" is (-inf, 0.01)."""

    low: float
    high: float
    low_open: bool = False
    high_open: bool = False

    @classmethod
    def of(cls, value: float, qualifier: str | None) -> Interval:
        if qualifier == "<":
            return cls(-math.inf, value, high_open=True)
        if qualifier == "<=":
            return cls(-math.inf, value)
        if qualifier == ">":
            return cls(value, math.inf, low_open=True)
        if qualifier == ">=":
            return cls(value, math.inf)
        return cls(value, value)


@dataclass(frozen=True)
class Bounds:
    """A range of acceptable values; `*_inclusive` False for "<5.0" (5.0 itself is outside)."""

    low: float | None
    high: float | None
    low_inclusive: bool = True
    high_inclusive: bool = True


@dataclass(frozen=True)
class Assessment:
    severity: Severity
    flag: str | None  # the printed flag as HL7 0078, None when none was printed
    side: str  # the value against limits and range: HH, LL, H, L or N
    critical_possible: bool
    reason: str  # critical_limit, printed_flag, reference_range, or normal


def _equal(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=_TOLERANCE, abs_tol=_TOLERANCE)


def _above(value: Interval, bounds: Bounds) -> tuple[bool, bool]:
    """(certainly above, possibly above) the high bound."""
    if bounds.high is None:
        return False, False
    high = bounds.high
    on_edge = _equal(value.low, high) and (value.low_open or not bounds.high_inclusive)
    certain = (value.low > high and not _equal(value.low, high)) or on_edge
    possible = certain or (value.high > high and not _equal(value.high, high))
    possible = possible or (_equal(value.high, high) and not bounds.high_inclusive and not value.high_open)
    return certain, possible


def _below(value: Interval, bounds: Bounds) -> tuple[bool, bool]:
    """(certainly below, possibly below) the low bound."""
    mirrored = Interval(-value.high, -value.low, low_open=value.high_open, high_open=value.low_open)
    flipped = Bounds(
        low=None,
        high=None if bounds.low is None else -bounds.low,
        high_inclusive=bounds.low_inclusive,
    )
    return _above(mirrored, flipped)


def assess(
    value: Interval,
    *,
    limit: Bounds | None,
    value_in_limit_unit: Interval | None,
    reference: Bounds | None,
    printed: FlagReading | None,
) -> Assessment:
    """Judge one result; `value` and `reference` share a unit, `value_in_limit_unit` is in the limit's."""
    critical_high = critical_low = possible_critical = False
    if limit is not None and value_in_limit_unit is not None:
        critical_high, maybe_high = _above(value_in_limit_unit, limit)
        critical_low, maybe_low = _below(value_in_limit_unit, limit)
        possible_critical = (maybe_high or maybe_low) and not (critical_high or critical_low)
    ref_high = ref_low = False
    if reference is not None:
        ref_high = _above(value, reference)[0]
        ref_low = _below(value, reference)[0]
    side = "HH" if critical_high else "LL" if critical_low else "H" if ref_high else "L" if ref_low else "N"
    flag = normalized(printed, side[0] if side != "N" else None) if printed is not None else None
    if critical_high or critical_low:
        return Assessment(Severity.CRITICAL, flag, side, False, "critical_limit")
    if printed is not None and printed.critical:
        return Assessment(Severity.CRITICAL, flag, side, possible_critical, "printed_flag")
    if ref_high or ref_low:
        return Assessment(Severity.ABNORMAL, flag, side, possible_critical, "reference_range")
    if printed is not None and printed.direction != "N":
        return Assessment(Severity.ABNORMAL, flag, side, possible_critical, "printed_flag")
    if possible_critical:
        return Assessment(Severity.ABNORMAL, flag, side, True, "critical_limit")
    return Assessment(Severity.NORMAL, flag, side, False, "normal")
