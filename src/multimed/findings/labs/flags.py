"""Printed abnormal flags (data/flags.csv) read as HL7 v2 table 0078, and the report legend that can make a
marker ("*", "!") mean critical.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from multimed.findings.labs.csvdata import packaged_rows

_MARKERS = "*!"
# "* = critical", "! denotes a critical value", "Critical values are marked with *".
_LEGEND_AFTER = re.compile(
    r"(?<![\w*!])(?P<mark>[*!]{1,3})\s*(?:=|:|-|indicates|denotes|means|marks)?\s*(?:an?\s+)?(?:critical|panic)",
    re.IGNORECASE,
)
_LEGEND_BEFORE = re.compile(
    r"(?:critical|panic)[^\n]{0,40}?(?:marked|flagged|indicated|shown|denoted)\s+(?:with|by|as)\s+"
    r"(?:an?\s+)?[\"'(]?(?P<mark>[*!]{1,3})",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class FlagMeaning:
    direction: str | None  # H, L, A, N or None (critical without a side)
    critical: bool


@dataclass(frozen=True)
class FlagReading:
    """What the printed flag tokens of one result say together."""

    printed: str
    direction: str | None
    critical: bool


@dataclass(frozen=True, eq=False)
class FlagTable:
    meanings: dict[str, FlagMeaning]  # upper-cased printed spelling
    pattern: re.Pattern[str]

    def read(self, token: str, critical_markers: frozenset[str]) -> FlagMeaning:
        """The meaning of one printed flag token such as "H", "HH", "(H)", "H*", "Critical" or "!"."""
        core = token.strip("()[] ")
        mark = core.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
        letters = core[: len(core) - len(mark)] if mark else core
        if not letters:
            meaning = self.meanings[mark[:3] if mark[:3] in self.meanings else mark[:2]]
            return FlagMeaning(meaning.direction, meaning.critical or mark in critical_markers)
        meaning = self.meanings[letters.upper()]
        return FlagMeaning(meaning.direction, meaning.critical or (bool(mark) and mark in critical_markers))


def combine(printed: list[str], meanings: list[FlagMeaning]) -> FlagReading | None:
    """One reading of several flag tokens ("Critical High"): a side beats none, critical if any says so."""
    if not meanings:
        return None
    sides = [m.direction for m in meanings if m.direction in {"H", "L"}]
    others = [m.direction for m in meanings if m.direction is not None]
    direction = sides[0] if sides else (others[0] if others else None)
    return FlagReading(
        printed=" ".join(printed), direction=direction, critical=any(m.critical for m in meanings)
    )


def normalized(reading: FlagReading, side: str | None) -> str:
    """The HL7 0078 code of a printed flag. A flag that says critical without a side or an A (CRIT, Panic)
    takes the side of the value (HH or LL, else AA), as does a bare marker ("*" -> H, L or A)."""
    direction = side if reading.direction is None else reading.direction
    if reading.critical:
        return {"H": "HH", "L": "LL"}.get(direction or "", "AA")
    return direction or "A"


def critical_markers(text: str) -> frozenset[str]:
    """The markers a report's legend says mean critical ("* = critical value")."""
    marks = {m.group("mark") for m in _LEGEND_AFTER.finditer(text)}
    marks |= {m.group("mark") for m in _LEGEND_BEFORE.finditer(text)}
    return frozenset(marks)


@functools.cache
def flag_table() -> FlagTable:
    """The packaged flag vocabulary and the pattern of one flag token, read once."""
    meanings: dict[str, FlagMeaning] = {}
    words: list[str] = []
    letters: list[str] = []
    for row in packaged_rows("flags.csv"):
        printed = row.get("printed").upper()
        meanings[printed] = FlagMeaning(
            direction=row.get("direction") or None, critical=row.get("critical") == "1"
        )
        if printed[0] in _MARKERS:
            continue
        (letters if len(printed) <= 2 else words).append(printed)
    word_part = "|".join(sorted(words, key=len, reverse=True))
    letter_part = "|".join(sorted(letters, key=len, reverse=True))
    pattern = re.compile(
        rf"(?:(?<![A-Za-z])(?:(?i:{word_part})|{letter_part})(?![A-Za-z0-9])[*!]{{0,3}}|[*!]{{1,3}})"
    )
    return FlagTable(meanings=meanings, pattern=pattern)
