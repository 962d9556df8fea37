"""Critical results whose analyte name cannot be read: held for review, never dropped.

OCR can ruin a name beyond the misreadings ocr_names.py undoes ("BLY" for "Plt"), and a laboratory may print
an analyte the dictionary does not know. Neither line is a result the reader can name, so it was dropped, and
with it a value the laboratory had flagged critical. A line that plainly is a result line becomes a CRITICAL
finding named UNIDENTIFIED with details["name_unreadable"], for a clinician to read at its citation: a name
cell, then a numeric value, a printed flag that says critical (data/flags.csv, or a marker the report's legend
makes critical: the same reading as every other result) and a unit or a reference range. The analyte is never
guessed: no code, the value and unit as printed, no conversion, no critical limit. A line without a critical
flag gives nothing: this is an alarm path, not a second reader.
"""

from __future__ import annotations

from multimed.findings.draft import FindingDraft, FindingKind, Severity
from multimed.findings.labs.analytes import AliasMatch, Analyte
from multimed.findings.labs.cells import Cells, read_result
from multimed.findings.labs.flags import FlagReading, combine, flag_table
from multimed.findings.labs.numbers import parse_number
from multimed.findings.labs.ocr_names import printed_name
from multimed.findings.labs.reading import reference_bounds
from multimed.findings.labs.severity import Interval, assess

UNIDENTIFIED = "unidentified result (name unreadable)"
# Stands in for the analyte while the cells are read: it has no alias, code, unit, limit or conversion.
_NO_ANALYTE = Analyte(
    name=UNIDENTIFIED,
    code="",
    unit="",
    panel="",
    aliases=(),
    related_codes=(),
    variant_of=None,
    variant_units=(),
)


def read_unidentified(
    line: str,
    position: int,
    *,
    start: int,
    range_first: bool,
    markers: frozenset[str],
    marker: str | None,
    critical_only: bool = True,
) -> tuple[Cells | None, int]:
    """The cells of a critical-flagged result whose name at `position` no alias spells, and where the next
    result may start; `marker` is a marker printed before the name ("*BLY 1011"). None when no name cell
    stands before a value, a flag starts it, or the cells are not those of a critical result line.
    `critical_only=False` takes any result line (OCR's second reading asks which names to read again)."""
    name = printed_name(line, position)
    if name is None:
        return None, position
    end = _name_end(line, name.start(), name.end())
    if end is None:
        return None, position
    alias = AliasMatch(analyte=_NO_ANALYTE, start=name.start(), end=end, weak=False, unreadable=True)
    cells, after = read_result(line, alias, start=start, range_first=range_first)
    if cells is None:
        return None, position
    if marker:
        cells.flags.insert(0, marker)
    if cells.unit is None and cells.range_text is None:
        return None, position
    if critical_only and _critical_reading(cells, markers) is None:
        return None, position
    return cells, after


def _critical_reading(cells: Cells, markers: frozenset[str]) -> FlagReading | None:
    """The flags' reading when they say critical, else None."""
    table = flag_table()
    reading = combine(cells.flags, [table.read(token, markers) for token in cells.flags])
    return reading if reading is not None and reading.critical else None


def _name_end(line: str, start: int, end: int) -> int | None:
    """Where the name cell ends: before a flag printed between name and value ("BLY CRIT 1011") so that the
    flag is read as one; None when the cell has no letter or starts with a flag ("Critical care unit 3")."""
    pattern = flag_table().pattern
    position = start
    for word in line[start:end].split():
        position = line.index(word, position)
        flag = pattern.fullmatch(word)
        if flag is not None:
            end = position
            break
        position += len(word)
    cell = line[start:end]
    return end if any(char.isalpha() for char in cell) else None


def unidentified_finding(
    cells: Cells, *, offset: int, markers: frozenset[str], section_specimen: str | None
) -> FindingDraft | None:
    """The CRITICAL finding of a critical-flagged result line without a readable name, else None."""
    reading = _critical_reading(cells, markers)
    if reading is None or cells.number_text is None:
        return None
    try:
        number = parse_number(cells.number_text)
    except ValueError:
        return None
    reference = reference_bounds(cells, 1.0)
    assessment = assess(
        Interval.of(number, cells.qualifier),
        limit=None,
        value_in_limit_unit=None,
        reference=reference,
        printed=reading,
    )
    return FindingDraft(
        kind=FindingKind.LAB,
        name=UNIDENTIFIED,
        severity=Severity.CRITICAL,
        start=offset + cells.start,
        end=offset + cells.end,
        value=number,
        value_text=cells.value_text,
        qualifier=cells.qualifier,
        unit=cells.unit,
        reference_low=reference.low if reference else None,
        reference_high=reference.high if reference else None,
        flag=assessment.flag,
        specimen=cells.specimen or section_specimen,
        details={
            "printed_value": number,
            "printed_unit": cells.unit_text,
            "unit_assumed": False,
            "panel": None,
            "printed_flag": reading.printed,
            "reference_text": cells.range_text,
            "interpretation": assessment.side,
            "severity_reason": "printed_flag",
            "critical_possible": False,
            "implausible": False,
            "name_misread": False,
            "name_unreadable": True,
            "ambiguous_value": False,
        },
    )
