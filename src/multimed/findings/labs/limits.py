"""Critical ("panic") limits: the packaged table (data/critical-values.csv) or a hospital's own CSV.

The columns are those of ../shared/reference/critical-values.csv: analyte, loinc, specimen, unit,
critical_low, critical_high, note. An empty limit cell means no limit on that side. Analyte names are mapped
to the dictionary's canonical names ("calcium (total)" -> calcium; "carbon dioxide (total) / bicarbonate" ->
both); a LOINC code that names another analyte than the name is an error, as is a unit that does not measure
the analyte. Every error names the file's line.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from multimed.findings.labs.analytes import Analyte, AnalyteDictionary, analyte_dictionary
from multimed.findings.labs.csvdata import Row, packaged_text, parse_rows
from multimed.findings.labs.errors import InvalidLimitsFile
from multimed.findings.labs.specimens import specimen_table
from multimed.findings.labs.units import conversions, unit_table

PACKAGED_FILE = "critical-values.csv"
REQUIRED_COLUMNS = ("analyte", "loinc", "specimen", "unit", "critical_low", "critical_high")


@dataclass(frozen=True)
class CriticalLimit:
    """Values beyond `low` or `high` (in `unit`) are critical; a value equal to a limit is not."""

    analyte: str
    unit: str
    low: float | None
    high: float | None
    specimen: str | None
    code: str | None
    note: str
    line: int


@dataclass(frozen=True)
class CriticalLimits:
    limits: tuple[CriticalLimit, ...]
    source: str

    def for_analyte(self, analyte: str) -> tuple[CriticalLimit, ...]:
        return tuple(limit for limit in self.limits if limit.analyte == analyte)

    def for_result(self, analyte: str, specimen: str | None) -> CriticalLimit | None:
        """The limit that judges a result of this analyte from this specimen (an exact specimen first)."""
        candidates = [
            limit
            for limit in self.for_analyte(analyte)
            if specimen_table().compatible(specimen, limit.specimen)
        ]
        exact = [limit for limit in candidates if specimen is not None and limit.specimen == specimen]
        chosen = exact or candidates
        return chosen[0] if chosen else None


def load_critical_limits(path: Path | None = None) -> CriticalLimits:
    """The critical limits in `path` (a hospital's CSV), or the packaged default when None."""
    if path is None:
        return parse_critical_limits(packaged_text(PACKAGED_FILE), source=PACKAGED_FILE)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise InvalidLimitsFile(
            f"critical limits file {path.name}: cannot be read ({type(error).__name__})"
        ) from error
    return parse_critical_limits(text, source=path.name)


def parse_critical_limits(text: str, *, source: str) -> CriticalLimits:
    """Limits from CSV text; `source` names the file in errors."""
    header, rows = parse_rows(text)
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        raise InvalidLimitsFile(f"critical limits file {source}: missing columns {', '.join(missing)}")
    if not rows:
        raise InvalidLimitsFile(f"critical limits file {source}: no limits")
    dictionary = analyte_dictionary()
    limits: list[CriticalLimit] = []
    seen: dict[tuple[str, str | None], int] = {}
    for row in rows:
        for limit in _row_limits(row, dictionary, source):
            family = specimen_table().family_of(limit.specimen)
            first = seen.get((limit.analyte, family))
            if first is not None:
                raise _error(
                    source, row, f"a second limit for {limit.analyte} (the first is on line {first})"
                )
            seen[(limit.analyte, family)] = row.line
            limits.append(limit)
    return CriticalLimits(limits=tuple(limits), source=source)


def _error(source: str, row: Row, problem: str) -> InvalidLimitsFile:
    return InvalidLimitsFile(f"critical limits file {source}, line {row.line}: {problem}")


def _number(row: Row, column: str, source: str) -> float | None:
    printed = row.get(column)
    if not printed:
        return None
    try:
        return float(printed)
    except ValueError:
        raise _error(source, row, f"{column} {printed!r} is not a number") from None


def _analytes(row: Row, dictionary: AnalyteDictionary, source: str) -> list[Analyte]:
    name, code = row.get("analyte"), row.get("loinc")
    if not name:
        raise _error(source, row, "the analyte is empty")
    named = dictionary.resolve(name)
    by_code = dictionary.by_code.get(code) if code else None
    if not named and by_code is None:
        raise _error(source, row, f"unknown analyte {name!r}")
    if by_code is not None and named and by_code not in named:
        raise _error(source, row, f"LOINC {code} is {by_code.name}, not {name!r}")
    if named:
        return named
    assert by_code is not None
    return [by_code]


def _row_limits(row: Row, dictionary: AnalyteDictionary, source: str) -> list[CriticalLimit]:
    analytes = _analytes(row, dictionary, source)
    printed_unit = row.get("unit")
    unit = unit_table().canonical(printed_unit) if printed_unit else None
    if unit is None:
        raise _error(source, row, f"unknown unit {printed_unit!r}")
    specimen = row.get("specimen") or None
    if specimen is not None and specimen_table().lookup(specimen) is None:
        raise _error(source, row, f"unknown specimen {specimen!r}")
    low, high = _number(row, "critical_low", source), _number(row, "critical_high", source)
    if low is None and high is None:
        raise _error(source, row, "no limit on either side")
    if low is not None and high is not None and low >= high:
        raise _error(source, row, f"critical_low {low:g} is not below critical_high {high:g}")
    limits: list[CriticalLimit] = []
    for analyte in analytes:
        if not conversions().can_convert(analyte.name, analyte.unit, unit):
            raise _error(source, row, f"unit {printed_unit} does not measure {analyte.name}")
        limits.append(
            CriticalLimit(
                analyte=analyte.name,
                unit=unit,
                low=low,
                high=high,
                specimen=specimen,
                code=row.get("loinc") or None,
                note=row.get("note"),
                line=row.line,
            )
        )
    return limits
