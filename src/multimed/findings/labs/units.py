"""Unit spellings to canonical UCUM units, and conversions between units per analyte (data/units.csv,
data/conversions.csv).

Conversions are a graph: every row is an edge both ways, generic rows ("*") apply to every analyte, and a
conversion follows the shortest chain, so g/L -> mg/dL needs no row of its own.
"""

from __future__ import annotations

import functools
import re
from collections import deque
from dataclasses import dataclass

from multimed.findings.labs.csvdata import packaged_rows
from multimed.findings.labs.errors import UnknownConversion

_MICRO = str.maketrans({"µ": "u", "μ": "u", "²": "2", "³": "3", "⁹": "9", "\u00d7": "x"})
_SPACES = re.compile(r"\s+")
# A printed caret as OCR reads it: "10~3/uL", "10"3/uL" (the digit 7 only after a value: cells.py).
CARET = "[\\^~\"\u201c\u201d'\u2019]"
_CARETS = str.maketrans({"~": "^", '"': "^", "\u201c": "^", "\u201d": "^", "'": "^", "\u2019": "^"})
ANY_ANALYTE = "*"


def spelling_key(printed: str) -> str:
    """The comparable form of a printed unit: no case, no spaces, one micro letter."""
    return _SPACES.sub("", printed.translate(_MICRO).translate(_CARETS)).lower()


@dataclass(frozen=True)
class UnitTable:
    """Printed spellings (by comparable key) to canonical units, and the pattern that finds them in a line."""

    canonical_by_key: dict[str, str]
    pattern: re.Pattern[str]

    def canonical(self, printed: str) -> str | None:
        """The canonical unit a printed spelling means, or None for an unknown spelling."""
        return self.canonical_by_key.get(spelling_key(printed))


def _spelling_pattern(spelling: str) -> str:
    parts: list[str] = []
    for index, char in enumerate(spelling):
        if index == 0 and char == "x":
            parts.append("[x\u00d7]\\s?")
        elif char == " ":
            parts.append(r"\s?")
        elif char.lower() == "u":
            parts.append("[uUµμ]")
        elif char == "/":
            parts.append(r"\s?/\s?")
        elif char == "^":
            parts.append(CARET)
        elif char == "2" and parts and parts[-1] == "m":
            parts.append("[2²]")
        else:
            parts.append(re.escape(char))
    return "".join(parts)


@functools.cache
def unit_table() -> UnitTable:
    """The packaged unit spellings, read once."""
    canonical_by_key: dict[str, str] = {}
    spellings: list[str] = []
    for row in packaged_rows("units.csv"):
        spelling, canonical = row.get("spelling"), row.get("canonical")
        canonical_by_key[spelling_key(spelling)] = canonical
        canonical_by_key[spelling_key(canonical)] = canonical
        spellings.extend([spelling, canonical])
    # Longest first so "mg/dL" is not read as "mg" and "pg/mL" not as "pg".
    alternatives = sorted({_spelling_pattern(s) for s in spellings}, key=len, reverse=True)
    pattern = re.compile(
        r"(?<![A-Za-z])(?:" + "|".join(alternatives) + r")(?![A-Za-z0-9/^*²³])", re.IGNORECASE
    )
    return UnitTable(canonical_by_key=canonical_by_key, pattern=pattern)


@dataclass(frozen=True, eq=False)
class Conversions:
    """Conversion edges: (analyte or "*", from unit) -> [(to unit, factor)]."""

    edges: dict[tuple[str, str], list[tuple[str, float]]]

    def factor(self, analyte: str, from_unit: str, to_unit: str) -> float | None:
        """The factor that turns a value in `from_unit` into `to_unit` for this analyte, or None."""
        return _factor(self, analyte, from_unit, to_unit)

    def convert(self, analyte: str, value: float, from_unit: str, to_unit: str) -> float:
        """`value` in `to_unit`; raises UnknownConversion when the units are not related for this analyte."""
        factor = self.factor(analyte, from_unit, to_unit)
        if factor is None:
            raise UnknownConversion(f"no conversion from {from_unit} to {to_unit} for {analyte}")
        return value * factor

    def can_convert(self, analyte: str, from_unit: str, to_unit: str) -> bool:
        return self.factor(analyte, from_unit, to_unit) is not None


@functools.lru_cache(maxsize=4096)
def _factor(conversions: Conversions, analyte: str, from_unit: str, to_unit: str) -> float | None:
    if from_unit == to_unit:
        return 1.0
    seen = {from_unit}
    queue: deque[tuple[str, float]] = deque([(from_unit, 1.0)])
    while queue:
        unit, product = queue.popleft()
        for key in ((analyte, unit), (ANY_ANALYTE, unit)):
            for target, factor in conversions.edges.get(key, []):
                if target in seen:
                    continue
                if target == to_unit:
                    return product * factor
                seen.add(target)
                queue.append((target, product * factor))
    return None


@functools.cache
def conversions() -> Conversions:
    """The packaged conversion factors, read once."""
    edges: dict[tuple[str, str], list[tuple[str, float]]] = {}
    for row in packaged_rows("conversions.csv"):
        analyte, source, target = row.get("analyte"), row.get("from_unit"), row.get("to_unit")
        factor = float(row.get("factor"))
        edges.setdefault((analyte, source), []).append((target, factor))
        edges.setdefault((analyte, target), []).append((source, 1.0 / factor))
    return Conversions(edges=edges)
