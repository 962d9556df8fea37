"""Vital signs (blood pressure, heart and breathing rate, SpO2, temperature, weight) from de-identified text.

Pure regular expressions over the text: a vital is a label, a number and maybe a unit, which a pattern states
more exactly than a statistical model, and every match keeps its exact span for the citation. Severity comes
from data/vital-limits.csv; numbers that cannot be the vital (a misread "HR 1200") are dropped.
"""

from __future__ import annotations

import re

from multimed.findings.clinical.ocr_numbers import format_number, parse_number
from multimed.findings.clinical.vital_limits import vital_limits
from multimed.findings.clinical.vital_patterns import VitalPattern, vital_patterns
from multimed.findings.draft import FindingDraft, FindingKind

POUND_IN_KG = 0.45359237  # the international avoirdupois pound, exact by definition (1959)
# A temperature printed without a unit is read as Celsius or Fahrenheit by its range.
_CELSIUS_RANGE = (25.0, 46.0)
_FAHRENHEIT_RANGE = (77.0, 115.0)
_PRINTED_UNIT = {"Cel": "°C", "[degF]": "°F", "kg": "kg", "[lb_av]": "lb"}


def extract_vitals(text: str) -> list[FindingDraft]:
    """Every plausible vital sign in the text, in reading order, one finding per reading."""
    patterns = vital_patterns()
    found: list[FindingDraft] = []
    row_only: set[tuple[int, int]] = set()
    for pattern in patterns.patterns:
        for match in pattern.regex.finditer(text):
            draft = _draft(pattern, match, patterns.oxygen)
            if draft is None:
                continue
            found.append(draft)
            if pattern.row_label is not None and pattern.row_label.fullmatch(match.group("label")):
                row_only.add((draft.start, draft.end))
    kept = _longest_without_overlap(found)
    anchors = [_line(text, d.start) for d in kept if (d.start, d.end) not in row_only]
    # "P 88" is a heart rate in "T 37.2 P 88 R 18 BP 120/80", and anything at all elsewhere.
    return [d for d in kept if (d.start, d.end) not in row_only or _line(text, d.start) in anchors]


def _line(text: str, position: int) -> int:
    """The start of the line holding `position`: the identity of that line."""
    return text.rfind("\n", 0, position) + 1


def _longest_without_overlap(drafts: list[FindingDraft]) -> list[FindingDraft]:
    """Where readings overlap ("O2 sat 88%" also holds "sat 88%"), the longer one is the reading."""
    kept: list[FindingDraft] = []
    for draft in sorted(drafts, key=lambda d: (d.start - d.end, d.start)):
        if all(draft.end <= other.start or draft.start >= other.end for other in kept):
            kept.append(draft)
    return sorted(kept, key=lambda d: d.start)


def _unit_of(pattern: VitalPattern, match: re.Match[str]) -> str | None:
    printed = match.group("unit")
    if printed is None:
        return None
    for unit, regex in pattern.units.items():
        if regex.fullmatch(printed.strip()):
            return unit
    return None


def _draft(
    pattern: VitalPattern, match: re.Match[str], oxygen: dict[str, re.Pattern[str]]
) -> FindingDraft | None:
    if pattern.key == "blood_pressure":
        return _blood_pressure(match)
    limits = vital_limits()[pattern.key]
    unit = _unit_of(pattern, match)
    printed = parse_number(match.group("value"))
    details: dict[str, str | float | bool | None] = {}
    if pattern.key == "temperature":
        converted = _celsius(printed, unit)
        if converted is None:
            return None
        value, printed_unit = converted
        details = {
            "printed_value": printed,
            "printed_unit": printed_unit,
            "unit_inferred": printed_unit is None,
        }
    elif pattern.key == "weight":
        value = round(printed * POUND_IN_KG, 1) if unit == "[lb_av]" else printed
        details = {"printed_value": printed, "printed_unit": _PRINTED_UNIT[unit or "kg"]}
    else:
        value = printed
    if pattern.key in ("spo2", "sao2"):
        air = _oxygen(match, oxygen)
        weak = pattern.weak_label is not None and pattern.weak_label.fullmatch(match.group("label"))
        if weak and unit is None and air is None:
            return None  # "sat 60 minutes": a bare "sat" needs a % or air/oxygen wording to be a saturation
        if air is not None:
            details = {"air_or_oxygen": air, "supplemental_oxygen": air != "room air"}
    if not limits.plausible(value):
        return None
    return FindingDraft(
        kind=FindingKind.VITAL,
        name=limits.name,
        severity=limits.severity(value),
        start=match.start(),
        end=match.end(),
        code=limits.loinc,
        value=value,
        value_text=format_number(printed),
        unit=limits.unit,
        reference_low=limits.normal_low,
        reference_high=limits.normal_high,
        details=details,
    )


def _celsius(printed: float, unit: str | None) -> tuple[float, str | None] | None:
    """The temperature in °C and the unit as printed (None when it was inferred from the range)."""
    if unit == "Cel":
        return printed, "°C"
    if unit == "[degF]":
        return round((printed - 32.0) * 5.0 / 9.0, 1), "°F"
    if _CELSIUS_RANGE[0] <= printed <= _CELSIUS_RANGE[1]:
        return printed, None
    if _FAHRENHEIT_RANGE[0] <= printed <= _FAHRENHEIT_RANGE[1]:
        return round((printed - 32.0) * 5.0 / 9.0, 1), None
    return None


def _oxygen(match: re.Match[str], kinds: dict[str, re.Pattern[str]]) -> str | None:
    printed = match.group("oxygen")
    if printed is None:
        return None
    for kind, regex in kinds.items():
        if regex.fullmatch(printed):
            return kind
    return None


def _blood_pressure(match: re.Match[str]) -> FindingDraft | None:
    """One finding for the pair: value is the systolic, severity the worse of the two components."""
    table = vital_limits()
    panel, systolic_limits, diastolic_limits = table["blood_pressure"], table["systolic"], table["diastolic"]
    systolic = parse_number(match.group("systolic"))
    diastolic = parse_number(match.group("diastolic"))
    if not (systolic_limits.plausible(systolic) and diastolic_limits.plausible(diastolic)):
        return None
    if systolic <= diastolic:
        return None
    systolic_severity = systolic_limits.severity(systolic)
    diastolic_severity = diastolic_limits.severity(diastolic)
    severity = min(systolic_severity, diastolic_severity, key=lambda s: s.rank)
    return FindingDraft(
        kind=FindingKind.VITAL,
        name=panel.name,
        severity=severity,
        start=match.start(),
        end=match.end(),
        code=panel.loinc,
        value=systolic,
        value_text=f"{format_number(systolic)}/{format_number(diastolic)}",
        unit=panel.unit,
        details={
            "systolic": systolic,
            "diastolic": diastolic,
            "systolic_code": systolic_limits.loinc,
            "diastolic_code": diastolic_limits.loinc,
            "systolic_severity": systolic_severity.value,
            "diastolic_severity": diastolic_severity.value,
        },
    )
