"""Dates found in text: reduced to the year (Safe Harbor) or shifted by the patient's offset (LIMITED)."""

from __future__ import annotations

import re
from datetime import date, timedelta

_MONTHS = {
    name: i
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<mon>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>\d{4}|'?\d{2})"
_PATTERNS = [
    re.compile(r"^(?P<year>\d{4})[-/.](?P<mon>\d{1,2})[-/.](?P<day>\d{1,2})$"),
    re.compile(r"^(?P<mon>\d{1,2})[-/.](?P<day>\d{1,2})[-/.]" + _YEAR + "$"),
    re.compile(r"^(?P<year>\d{4})(?P<mon>\d{2})(?P<day>\d{2})$"),
    re.compile(r"^" + _MONTH + r"\s+" + _DAY + r",?\s+" + _YEAR + "$", re.IGNORECASE),
    re.compile(r"^" + _DAY + r"(?:\s+of)?[\s-]+" + _MONTH + r",?[\s-]+" + _YEAR + "$", re.IGNORECASE),
    re.compile(r"^(?P<mon>\d{1,2})[-/](?P<year>\d{4})$"),
    re.compile(r"^" + _MONTH + r",?\s+" + _YEAR + "$", re.IGNORECASE),
    re.compile(r"^" + _MONTH + r"\s+" + _DAY + "$", re.IGNORECASE),
    re.compile(r"^(?:the\s+)?" + _DAY + r"\s+of\s+" + _MONTH + "$", re.IGNORECASE),
]
_ANY_YEAR = re.compile(r"(?<!\d)(1[89]\d{2}|20\d{2})(?!\d)")


def _year(raw: str) -> int:
    digits = raw.lstrip("'")
    if len(digits) == 2:
        value = int(digits)
        return 2000 + value if value < 50 else 1900 + value
    return int(digits)


def parse_date(text: str) -> tuple[date, bool, bool] | None:
    """(date, has_day, has_year) of a printed date, or None when the text is not one we can read."""
    cleaned = " ".join(text.strip().strip(",.").split())
    for pattern in _PATTERNS:
        match = pattern.match(cleaned)
        if not match:
            continue
        parts = match.groupdict()
        month_raw = parts["mon"]
        month = int(month_raw) if month_raw.isdigit() else _MONTHS[month_raw.lower().rstrip(".")]
        has_year = parts.get("year") is not None
        has_day = parts.get("day") is not None
        try:
            return (
                date(_year(parts["year"]) if has_year else 2000, month, int(parts["day"]) if has_day else 1),
                has_day,
                has_year,
            )
        except ValueError:
            return None
    return None


def reduce_to_year(text: str) -> str:
    """The year of a printed date, or a typed placeholder when no year is printed."""
    parsed = parse_date(text)
    if parsed is not None and parsed[2]:
        return str(parsed[0].year)
    found = _ANY_YEAR.search(text)
    return found.group(1) if found else "[DATE]"


def shift_date(text: str, days: int) -> str:
    """The date moved by `days`, printed as ISO (year-month or year-month-day as precise as the input)."""
    parsed = parse_date(text)
    if parsed is None:
        return "[DATE]"
    value, has_day, has_year = parsed
    moved = value + timedelta(days=days)
    if not has_year:
        return moved.strftime("%m-%d")
    return moved.isoformat() if has_day else moved.strftime("%Y-%m")
