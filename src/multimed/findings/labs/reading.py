"""One result's cells turned into a FindingDraft: canonical analyte and unit, converted range, severity."""

from __future__ import annotations

import re

from multimed.findings.draft import FindingDraft, FindingKind, Severity
from multimed.findings.labs.analytes import Analyte, analyte_dictionary
from multimed.findings.labs.cells import Cells
from multimed.findings.labs.flags import FlagReading, combine, flag_table
from multimed.findings.labs.limits import CriticalLimit, CriticalLimits
from multimed.findings.labs.numbers import parse_number
from multimed.findings.labs.plausibility import plausible_ranges
from multimed.findings.labs.severity import Assessment, Bounds, Interval, assess
from multimed.findings.labs.units import conversions


def _tidy(value: float) -> float:
    """Drop float noise from a conversion (2.7 * 18.016 = 48.643200000000004)."""
    return float(f"{value:.10g}")


def _limit(limits: CriticalLimits, analyte: Analyte, specimen: str | None) -> CriticalLimit | None:
    """The analyte's own limit, else its parent's (an hs-troponin judged by the troponin limit, converted)."""
    own = limits.for_result(analyte.name, specimen)
    if own is None and analyte.variant_of is not None:
        return limits.for_result(analyte.variant_of, specimen)
    return own


def reference_bounds(cells: Cells, factor: float) -> Bounds | None:
    """The printed reference range times `factor` (into the finding's unit); None when it cannot be read."""
    if cells.range_text is None:
        return None
    try:
        low = parse_number(cells.range_low_text) * factor if cells.range_low_text else None
        high = parse_number(cells.range_high_text) * factor if cells.range_high_text else None
    except ValueError:
        return None
    if low is not None and high is not None and low > high:
        return None
    comparator = cells.range_comparator
    return Bounds(
        low=None if low is None else _tidy(low),
        high=None if high is None else _tidy(high),
        low_inclusive=comparator != ">",
        high_inclusive=comparator != "<",
    )


def _implausible(assessment: Assessment, side: str, printed: FlagReading | None) -> Assessment:
    """An implausible value is abnormal on its side of the plausible range, never critical by a limit; a
    critical flag the laboratory printed stays critical: it judged the true value, not the misreading."""
    if printed is not None and printed.critical:
        return Assessment(Severity.CRITICAL, assessment.flag, side, False, "printed_flag")
    return Assessment(Severity.ABNORMAL, assessment.flag, side, False, "implausible_value")


# An integer part with a leading zero ("08", "04"): no laboratory prints it, OCR does when it misreads the
# first digit (a 9 read as 0). Its value cannot be known, so it is held for review (below).
_LEADING_ZERO = re.compile(r"^[-\u2212]?[0Oo]\s?[0-9OoIl]")


def _ambiguous(assessment: Assessment) -> Assessment:
    """A value that cannot be trusted is abnormal for review; one its misreading puts beyond a critical limit
    stays critical (an alarm too many, never one too few)."""
    if assessment.severity is Severity.CRITICAL:
        return assessment
    return Assessment(Severity.ABNORMAL, assessment.flag, assessment.side, True, "ambiguous_value")


def to_finding(
    cells: Cells,
    *,
    offset: int,
    limits: CriticalLimits,
    section_specimen: str | None,
    markers: frozenset[str],
    lab_context: bool = False,
) -> FindingDraft | None:
    """The finding these cells state, with offsets shifted by the line's `offset` into the text.

    A value outside the analyte's plausible range (plausibility.py) is a misreading: kept as ABNORMAL with
    details["implausible"] for review, never critical by the limits; dropped when the number stood alone
    (no unit, range or flag, outside a lab table), as in a dictated "Sodium 1325".
    """
    if cells.number_text is None:
        return None
    try:
        number = parse_number(cells.number_text)
    except ValueError:
        return None
    analyte = analyte_dictionary().variant(cells.alias.analyte, cells.unit)
    printed_unit = cells.unit or analyte.unit
    factor = conversions().factor(analyte.name, printed_unit, analyte.unit)
    unit = analyte.unit if factor is not None else printed_unit
    factor = 1.0 if factor is None else factor
    value = _tidy(number * factor)
    reference = reference_bounds(cells, factor)
    specimen = cells.specimen or section_specimen
    limit = _limit(limits, analyte, specimen)
    in_limit_unit: Interval | None = None
    limit_bounds: Bounds | None = None
    if limit is not None:
        limit_factor = conversions().factor(analyte.name, unit, limit.unit)
        if limit_factor is not None:
            in_limit_unit = Interval.of(value * limit_factor, cells.qualifier)
            limit_bounds = Bounds(low=limit.low, high=limit.high)
    table = flag_table()
    reading = combine(cells.flags, [table.read(token, markers) for token in cells.flags])
    assessment = assess(
        Interval.of(value, cells.qualifier),
        limit=limit_bounds,
        value_in_limit_unit=in_limit_unit,
        reference=reference,
        printed=reading,
    )
    plausible = plausible_ranges().get(analyte.name)
    implausible = (
        plausible.side_of(Interval.of(value, cells.qualifier))
        if plausible is not None and unit == plausible.unit and plausible.judges(specimen)
        else None
    )
    if implausible is not None:
        if not (cells.corroborated or lab_context):
            return None
        assessment = _implausible(assessment, implausible, reading)
    ambiguous = bool(_LEADING_ZERO.match(cells.number_text))
    if ambiguous:
        assessment = _ambiguous(assessment)
    return FindingDraft(
        kind=FindingKind.LAB,
        name=analyte.name,
        severity=assessment.severity,
        start=offset + cells.start,
        end=offset + cells.end,
        code=analyte.code,
        value=value,
        value_text=cells.value_text,
        qualifier=cells.qualifier,
        unit=unit,
        reference_low=reference.low if reference else None,
        reference_high=reference.high if reference else None,
        flag=assessment.flag,
        specimen=specimen,
        details={
            "printed_value": number,
            "printed_unit": cells.unit_text,
            "unit_assumed": cells.unit is None,
            "panel": analyte.panel,
            "printed_flag": reading.printed if reading else None,
            "reference_text": cells.range_text,
            "interpretation": assessment.side,
            "severity_reason": assessment.reason,
            "critical_possible": assessment.critical_possible,
            "implausible": implausible is not None,
            "name_misread": cells.alias.misread,
            "name_unreadable": False,
            "ambiguous_value": ambiguous,
        },
    )
