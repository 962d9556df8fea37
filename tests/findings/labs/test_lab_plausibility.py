"""Plausibility limits: a value no living patient has (an OCR misreading, a number in another unit) never
raises a critical alarm; it is kept as ABNORMAL for review when a unit, range or flag shows it is a lab
result."""

from __future__ import annotations

import pytest

from multimed.findings.draft import Severity
from multimed.findings.labs import CriticalLimits, extract_labs, load_critical_limits
from multimed.findings.labs.analytes import analyte_dictionary
from multimed.findings.labs.plausibility import plausible_ranges
from multimed.findings.labs.severity import Interval


@pytest.fixture(scope="module")
def limits() -> CriticalLimits:
    return load_critical_limits()


def test_every_analyte_has_a_plausible_range_in_its_canonical_unit() -> None:
    ranges = plausible_ranges()

    assert sorted(ranges) == sorted(a.name for a in analyte_dictionary().analytes)
    for analyte in analyte_dictionary().analytes:
        assert ranges[analyte.name].unit == analyte.unit


def test_every_critical_limit_lies_inside_the_plausible_range(limits: CriticalLimits) -> None:
    """A critical value must be possible, or the plausibility check would silence it."""
    for limit in limits.limits:
        plausible = plausible_ranges()[limit.analyte]
        assert limit.unit == plausible.unit, limit.analyte
        for bound in (limit.low, limit.high):
            if bound is not None:
                assert plausible.side_of(Interval.of(bound, None)) is None, limit.analyte


@pytest.mark.parametrize(
    ("analyte", "inside", "outside"),
    [
        ("pH", [6.3, 6.8, 7.35, 8.0], [71.35, 73.5, 6.2, 0.74]),
        ("potassium", [1.0, 6.8, 12.0], [68, 0.68, 0.9, 12.1]),
        ("aPTT", [10, 25.8, 200], [258, 2.58, 9.9]),
        ("sodium", [80, 139, 220], [13.9, 1390]),
        ("hemoglobin", [0.5, 6.4, 26], [64, 0.1]),
        ("glucose", [10, 38, 2656], [5.5, 4323]),
    ],
)
def test_plausible_bounds(analyte: str, inside: list[float], outside: list[float]) -> None:
    plausible = plausible_ranges()[analyte]

    assert [plausible.side_of(Interval.of(v, None)) for v in inside] == [None] * len(inside)
    assert None not in [plausible.side_of(Interval.of(v, None)) for v in outside]


@pytest.mark.parametrize(
    ("value", "qualifier", "side"),
    [(0.5, "<", "L"), (1.0, "<", None), (0.5, ">", None), (12.5, ">", "H"), (11, "<", None)],
)
def test_qualified_value_is_implausible_only_when_all_it_admits_is(
    value: float, qualifier: str, side: str | None
) -> None:
    assert plausible_ranges()["potassium"].side_of(Interval.of(value, qualifier)) == side


@pytest.mark.parametrize(
    ("line", "name", "value", "side"),
    [
        # OCR inserted a digit into "7.35" and lost the decimal point of "25.8" (benchmark misses, seed 1).
        ("pH                          71.35                    [7.35-7.45]", "pH", 71.35, "H"),
        ("| aPTT                   |     258 |          | sec       |", "aPTT", 258, "H"),
        ("Hematocrit ...............     406.7 %         (36.0-48.0)", "hematocrit", 406.7, "H"),
        ("Potassium 68 mmol/L (3.5-5.1)", "potassium", 68, "H"),
        ("Sodium 13.9 mmol/L", "sodium", 13.9, "L"),
        ("Glucose 240 mmol/L", "glucose", 4323.84, "H"),
    ],
)
def test_implausible_value_is_kept_for_review_not_critical(
    limits: CriticalLimits, line: str, name: str, value: float, side: str
) -> None:
    [finding] = extract_labs(line, limits)

    assert (finding.name, finding.severity) == (name, Severity.ABNORMAL)
    assert finding.value == pytest.approx(value)
    assert finding.details["implausible"] is True
    assert (finding.details["interpretation"], finding.details["severity_reason"]) == (
        side,
        "implausible_value",
    )
    assert finding.details["critical_possible"] is False
    assert line[finding.start : finding.end] == line.strip(" |")


def test_implausible_value_alone_in_a_lab_table_is_kept(limits: CriticalLimits) -> None:
    text = "Test  Result  Flag  Units  Reference Range\npH    71.35\n"

    [finding] = extract_labs(text, limits)

    assert (finding.name, finding.severity, finding.details["implausible"]) == ("pH", Severity.ABNORMAL, True)


def test_implausible_value_alone_outside_a_table_is_dropped(limits: CriticalLimits) -> None:
    assert extract_labs("pH 71.35", limits) == []


def test_printed_critical_flag_stays_critical(limits: CriticalLimits) -> None:
    """The laboratory judged the true value; only the printed number was misread."""
    [finding] = extract_labs("Potassium 68 mmol/L (3.5-5.1) HH", limits)

    assert (finding.severity, finding.flag, finding.details["severity_reason"]) == (
        Severity.CRITICAL,
        "HH",
        "printed_flag",
    )
    assert finding.details["implausible"] is True


def test_plausible_critical_value_is_still_critical(limits: CriticalLimits) -> None:
    [finding] = extract_labs("pH 6.95 (7.35-7.45)", limits)

    assert (finding.severity, finding.details["implausible"]) == (Severity.CRITICAL, False)


def test_urine_is_not_judged_by_blood_plausibility(limits: CriticalLimits) -> None:
    text = "URINALYSIS\nSpecimen: Urine\npH 5.0 (5.0-8.0)\n"

    [finding] = extract_labs(text, limits)

    assert (finding.value, finding.severity, finding.details["implausible"]) == (5.0, Severity.NORMAL, False)
