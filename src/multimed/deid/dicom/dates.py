"""DICOM DA/DT/TM values shifted by a patient's day offset, and ages capped for Safe Harbor."""

from __future__ import annotations

import re
from datetime import date, timedelta

_DATE = re.compile(r"(\d{4})(\d{2})?(\d{2})?")
_DT = re.compile(r"(\d{4}(?:\d{2}){0,2})((?:\d{2}){0,3}(?:\.\d{1,6})?)([+-]\d{4})?")
_AGE = re.compile(r"(\d{3})([DWMY])")
_DAYS_PER_UNIT = {"D": 1.0, "W": 7.0, "M": 365.25 / 12, "Y": 365.25}
MAX_AGE_YEARS = 89
CAPPED_AGE = "090Y"


def shift_date_part(value: str, days: int) -> str | None:
    """Shift a YYYY, YYYYMM or YYYYMMDD string; None when it is not a valid date."""
    match = _DATE.fullmatch(value)
    if match is None:
        return None
    year, month, day = int(match[1]), match[2], match[3]
    # A partial date stands for a whole month or year: shift its middle, so the result lands in the
    # period the real (unknown) day most likely moved to, not always one period early.
    try:
        anchor = date(year, int(month) if month else 7, int(day) if day else (15 if month else 2))
        shifted = anchor + timedelta(days=days)
    except (ValueError, OverflowError):
        return None
    return f"{shifted.year:04d}{shifted.month:02d}{shifted.day:02d}"[: len(value)]


def shift_da(value: str, days: int) -> str | None:
    """Shift one DA value, a range "A-B" (either side may be open) or a legacy "YYYY.MM.DD"."""
    value = value.strip()
    if "-" in value:
        start, _, end = value.partition("-")
        parts = [shift_da(p, days) if p else "" for p in (start, end)]
        return None if None in parts else f"{parts[0]}-{parts[1]}"
    if len(value) == 10 and value[4] == value[7] == ".":
        value = value.replace(".", "")
    return shift_date_part(value, days)


def _shift_one_dt(value: str, days: int) -> str | None:
    match = _DT.fullmatch(value)
    if match is None:
        return None
    shifted = shift_date_part(match[1], days)
    if shifted is None:
        return None
    # Whole-day shifts leave the clock time and the UTC offset as they were.
    return shifted + match[2] + (match[3] or "")


def shift_dt(value: str, days: int) -> str | None:
    """Shift one DT value (time and UTC offset kept), or a range "A-B"."""
    value = value.strip()
    single = _shift_one_dt(value, days)
    if single is not None:
        return single
    # "-" also starts a UTC offset, so try each split and accept the first with two valid sides.
    for i, char in enumerate(value):
        if char != "-":
            continue
        start, end = value[:i], value[i + 1 :]
        left = _shift_one_dt(start, days) if start else ""
        right = _shift_one_dt(end, days) if end else ""
        if left is not None and right is not None and (start or end):
            return f"{left}-{right}"
    return None


def shift_value(vr: str, value: str, days: int) -> str | None:
    """Shift a single DA, DT or TM value by whole days; TM is unchanged by a whole-day shift."""
    if vr == "DA":
        return shift_da(value, days)
    if vr == "DT":
        return shift_dt(value, days)
    if vr == "TM":
        return value
    raise ValueError(f"not a temporal VR: {vr}")


def cap_age(value: str) -> str | None:
    """An AS value with ages over 89 years folded into "090Y" (HIPAA); None when unparseable."""
    match = _AGE.fullmatch(value.strip())
    if match is None:
        return None
    years = int(match[1]) * _DAYS_PER_UNIT[match[2]] / 365.25
    return CAPPED_AGE if years > MAX_AGE_YEARS else match[0]
