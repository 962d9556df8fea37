"""Every printed flag spelling, normalized to HL7 v2 table 0078, and what it does to severity."""

from __future__ import annotations

import pytest

from multimed.findings.draft import Severity
from multimed.findings.labs import CriticalLimits, extract_labs, load_critical_limits


@pytest.fixture(scope="module")
def limits() -> CriticalLimits:
    return load_critical_limits()


# Sodium 150 is above the range 136-145 and inside the critical limits 120-160; sodium 130 is below it.
@pytest.mark.parametrize(
    ("value", "printed", "flag", "severity"),
    [
        ("150", "H", "H", Severity.ABNORMAL),
        ("150", "HI", "H", Severity.ABNORMAL),
        ("150", "High", "H", Severity.ABNORMAL),
        ("150", "HIGH", "H", Severity.ABNORMAL),
        ("150", "(H)", "H", Severity.ABNORMAL),
        ("150", "H*", "H", Severity.ABNORMAL),
        ("150", "H!", "H", Severity.ABNORMAL),
        ("130", "L", "L", Severity.ABNORMAL),
        ("130", "LO", "L", Severity.ABNORMAL),
        ("130", "Low", "L", Severity.ABNORMAL),
        ("130", "(L)", "L", Severity.ABNORMAL),
        ("130", "L*", "L", Severity.ABNORMAL),
        ("150", "HH", "HH", Severity.CRITICAL),
        ("130", "LL", "LL", Severity.CRITICAL),
        ("150", "CH", "HH", Severity.CRITICAL),
        ("130", "CL", "LL", Severity.CRITICAL),
        ("150", "(HH)", "HH", Severity.CRITICAL),
        ("150", "CRIT", "HH", Severity.CRITICAL),
        ("130", "CRIT", "LL", Severity.CRITICAL),
        ("150", "Critical", "HH", Severity.CRITICAL),
        ("150", "CRITICAL HIGH", "HH", Severity.CRITICAL),
        ("130", "Critical Low", "LL", Severity.CRITICAL),
        ("130", "Panic", "LL", Severity.CRITICAL),
        ("150", "C", "HH", Severity.CRITICAL),
        ("150", "A", "A", Severity.ABNORMAL),
        ("150", "ABN", "A", Severity.ABNORMAL),
        ("150", "Abnormal", "A", Severity.ABNORMAL),
        ("150", "AA", "AA", Severity.CRITICAL),
        ("150", "*", "H", Severity.ABNORMAL),
        ("150", "!", "H", Severity.ABNORMAL),
        ("150", "**", "HH", Severity.CRITICAL),
        ("150", "!!", "HH", Severity.CRITICAL),
        ("140", "N", "N", Severity.NORMAL),
        ("140", "Normal", "N", Severity.NORMAL),
        ("140", "WNL", "N", Severity.NORMAL),
    ],
)
def test_flag_spelling(
    limits: CriticalLimits, value: str, printed: str, flag: str, severity: Severity
) -> None:
    line = f"Sodium {value} mmol/L (136-145) {printed}"

    [finding] = extract_labs(line, limits)

    assert (finding.flag, finding.severity) == (flag, severity)
    assert line[finding.start : finding.end] == line
    assert finding.details["printed_flag"] == printed.strip("()")


@pytest.mark.parametrize(("printed", "flag"), [("A", "A"), ("*", "A"), ("**", "AA"), ("CRIT", "AA")])
def test_flag_without_a_side_and_no_range(limits: CriticalLimits, printed: str, flag: str) -> None:
    [finding] = extract_labs(f"Sodium 140 mmol/L {printed}", limits)

    assert finding.flag == flag
    assert finding.severity is (Severity.CRITICAL if flag == "AA" else Severity.ABNORMAL)


@pytest.mark.parametrize(
    "legend",
    [
        "* = critical value",
        "*Critical",
        "Critical values are marked with *",
        "Flags: H = High, L = Low, * denotes a critical result",
    ],
)
def test_legend_makes_the_star_critical(limits: CriticalLimits, legend: str) -> None:
    text = f"Sodium 150 H* mmol/L (136-145)\nPotassium 5.0 mmol/L (3.5-5.1)\n{legend}\n"

    sodium, potassium = extract_labs(text, limits)

    assert (sodium.flag, sodium.severity) == ("HH", Severity.CRITICAL)
    assert (potassium.flag, potassium.severity) == (None, Severity.NORMAL)


def test_without_legend_the_star_only_marks(limits: CriticalLimits) -> None:
    [sodium] = extract_labs("Sodium 150 H* mmol/L (136-145)\n* = abnormal\n", limits)

    assert (sodium.flag, sodium.severity) == ("H", Severity.ABNORMAL)


def test_leading_marker_before_the_name(limits: CriticalLimits) -> None:
    text = "!Sodium 150 mmol/L (136-145)\n! = critical\n"

    [sodium] = extract_labs(text, limits)

    assert text[sodium.start : sodium.end] == "!Sodium 150 mmol/L (136-145)"
    assert (sodium.flag, sodium.severity) == ("HH", Severity.CRITICAL)
