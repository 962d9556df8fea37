"""OCR noise in printed numbers and columns: the value is still read, the quote still covers the line."""

from __future__ import annotations

import pytest

from multimed.findings.draft import Severity
from multimed.findings.labs import CriticalLimits, extract_labs, load_critical_limits


@pytest.fixture(scope="module")
def limits() -> CriticalLimits:
    return load_critical_limits()


@pytest.mark.parametrize(
    ("line", "name", "value", "value_text"),
    [
        ("Potassium 6 . 8 mmol/L (3.5-5.1) HH", "potassium", 6.8, "6 . 8"),
        ("Potassium 6,8 mmol/L (3,5-5,1) HH", "potassium", 6.8, "6,8"),
        ("Potassium 6. 8 mmol/L", "potassium", 6.8, "6. 8"),
        ("Hemoglobin 1O.2 g/dL", "hemoglobin", 10.2, "1O.2"),
        ("Creatinine O.9 mg/dL", "creatinine", 0.9, "O.9"),
        ("Sodium l39 mmol/L", "sodium", 139, "l39"),
        ("Sodium 1l9 mmol/L", "sodium", 119, "1l9"),
        ("| Potassium | 6.8 | HH | mmol/L | 3.5-5.1 |", "potassium", 6.8, "6.8"),
        ("Potassium  |  6.8  |  mmol/L", "potassium", 6.8, "6.8"),
        ("Potassium    6.8    mmol/L    3.5  -  5.1", "potassium", 6.8, "6.8"),
        ("Potassium 6.8mmol/L", "potassium", 6.8, "6.8"),
        ("Potassium 6.8H mmol/L", "potassium", 6.8, "6.8"),
        ("Platelets 1,250 K/uL", "platelets", 1250, "1,250"),
        ("Troponin I < 0.01 ng/mL", "troponin I", 0.01, "< 0.01"),
        ("Troponin I <=0.01 ng/mL", "troponin I", 0.01, "<=0.01"),
        ("WBC 12.3 x 10^9/L", "WBC", 12.3, "12.3"),
        ("Glucose . . . . . 92 mg/dL", "glucose", 92, "92"),
        ("Chloride ........ccvvvnn. 83 mmol/L (98-107)", "chloride", 83, "83"),
        ("ALT (SGPT) ......vvvvnnnn 14 U/L (7-56)", "ALT", 14, "14"),
        ("pC02 37 mmHg [35-45]", "pCO2", 37, "37"),
        ("p02 94 mm Hg [80-100]", "pO2", 94, "94"),
        ("C02, Total 23 mEq/L [22-29]", "carbon dioxide (total)", 23, "23"),
        ("Lactate 3.1H mmol/L [0.5-2.2]", "lactate", 3.1, "3.1"),
        ("Potassium 4.6 -3,5-5.1 mmol/L", "potassium", 4.6, "4.6"),
        ("| Potassium | 2:7 | LL | mmol/L | 3.5 - 5.1 |", "potassium", 2.7, "2:7"),
        # A speck or column gap read as a lone mark between name and value (EasyOCR's "Plt ' 1011").
        ("Plt ' 1011 K/uL Critical (150-400)", "platelets", 1011, "1011"),
        ("Potassium ` 6.8 mmol/L (3.5-5.1)", "potassium", 6.8, "6.8"),
        ("Sodium \u2019 139 mmol/L", "sodium", 139, "139"),
    ],
)
def test_noisy_value(limits: CriticalLimits, line: str, name: str, value: float, value_text: str) -> None:
    [finding] = extract_labs(line, limits)

    assert (finding.name, finding.value_text) == (name, value_text)
    assert finding.value == pytest.approx(value)
    assert line[finding.start : finding.end] == line.strip(" |")


def test_noisy_critical_value_is_still_critical(limits: CriticalLimits) -> None:
    [finding] = extract_labs("Potassium 6 . 8 mmol/L", limits)

    assert finding.severity is Severity.CRITICAL


def test_scanned_report_as_ocr_reads_it(limits: CriticalLimits) -> None:
    text = (
        "CITY HOSPITAL LABORATORY REPORT\n"
        "Patient: [PATIENT_1]   MRN: [MRN_2]\n"
        "Collected: 01/18/2023\n"
        "Sodium          l39 mmol/L   (136-145)\n"
        "Potassium       6 . 8 mmol/L   (3.5-5.1)  HH\n"
        "Glucose         92 mg/dL     (7O-99)\n"
        "Creatinine      1.1 mg/dL    (0.6-1.2)\n"
    )

    findings = extract_labs(text, limits)

    assert [(f.name, f.value, f.severity) for f in findings] == [
        ("sodium", 139, Severity.NORMAL),
        ("potassium", 6.8, Severity.CRITICAL),
        ("glucose", 92, Severity.NORMAL),
        ("creatinine", 1.1, Severity.NORMAL),
    ]
    assert findings[2].reference_low == 70
    assert [text[f.start : f.end] for f in findings][1] == "Potassium       6 . 8 mmol/L   (3.5-5.1)  HH"


def test_glued_flag_is_read(limits: CriticalLimits) -> None:
    [finding] = extract_labs("Lactate 3.1H mmol/L [0.5-2.2]", limits)

    assert (finding.flag, finding.severity) == ("H", Severity.ABNORMAL)


def test_misread_power_of_ten_is_not_taken_for_per_microlitre(limits: CriticalLimits) -> None:
    """After the value, "1076/uL" is 10^6/uL with its caret read as a 7, not 1076 per microlitre."""
    [finding] = extract_labs("Red Blood Cells 2.55 1076/uL (4.20-5.90)", limits)

    assert (finding.value, finding.unit, finding.details["unit_assumed"]) == (2.55, "10*12/L", False)


@pytest.mark.parametrize(
    "line", ["Plt <5 10~3/uL (150-400) LL", 'Plt <5 10"3/uL (150-400) LL', "Plt <5 1073/uL (150-400)"]
)
def test_misread_caret_is_the_power_of_ten(limits: CriticalLimits, line: str) -> None:
    [finding] = extract_labs(line, limits)

    assert (finding.value, finding.unit, finding.details["unit_assumed"]) == (5, "10*9/L", False)
    assert finding.severity is Severity.CRITICAL


def test_a_count_per_microlitre_stays_a_value(limits: CriticalLimits) -> None:
    [finding] = extract_labs("WBC 7300/uL (4500-11000)", limits)

    assert (finding.value, finding.unit) == (7.3, "10*9/L")


def test_leader_garbage_with_digits_is_not_a_value(limits: CriticalLimits) -> None:
    assert extract_labs("INR: o v vwiie s s sisimm s 6 s mmmmns s 1.2 (0.8-1.2)", limits) == []


@pytest.mark.parametrize(
    "line",
    [
        "Red Blood Cells ..........     2.55 1076/uL   (4.20-5.90)",
        "Red Blood Cells 2.55 10712/L (4.20-5.90)",
        "Sodium 131 rnmol ll (136-145)",
    ],
)
def test_stray_ocr_words_between_cells_keep_the_range(limits: CriticalLimits, line: str) -> None:
    [finding] = extract_labs(line, limits)

    assert finding.reference_low is not None
    assert finding.severity is Severity.ABNORMAL
    assert line[finding.start : finding.end] == line.strip()


@pytest.mark.parametrize(
    ("line", "severity"),
    [
        ("Glucose 08 70-99 mg/dL", Severity.ABNORMAL),  # 98 with its 9 read as 0: held for review
        ("LDL Cholesterol 04 mg/dL (<100)", Severity.ABNORMAL),  # never a false NORMAL
        ("Potassium 09.8 mmol/L (3.5-5.1)", Severity.CRITICAL),  # beyond a limit as read: the alarm stays
    ],
)
def test_leading_zero_integer_is_ambiguous(limits: CriticalLimits, line: str, severity: Severity) -> None:
    [finding] = extract_labs(line, limits)

    assert (finding.severity, finding.details["ambiguous_value"]) == (severity, True)


def test_a_decimal_below_one_is_not_ambiguous(limits: CriticalLimits) -> None:
    [finding] = extract_labs("Creatinine 0.98 mg/dL (0.60-1.20)", limits)

    assert (finding.severity, finding.details["ambiguous_value"]) == (Severity.NORMAL, False)


@pytest.mark.parametrize(
    ("line", "name", "unit"),
    [
        ("Sodium 122 % mEq/L 136-145", "sodium", "mmol/L"),  # the flag column's "*" read as "%"
        ("C02, Total 34 % 22-29 mmol/L", "carbon dioxide (total)", "mmol/L"),
        ("Neutrophils 60 % 10^3/uL", "neutrophils %", "%"),  # measured in %: the % is the unit
        ("Hematocrit 45 % (36-48)", "hematocrit", "%"),
    ],
)
def test_percent_before_the_real_unit(limits: CriticalLimits, line: str, name: str, unit: str) -> None:
    [finding] = extract_labs(line, limits)

    assert (finding.name, finding.unit) == (name, unit)


@pytest.mark.parametrize(
    ("line", "low", "high", "severity"),
    [
        ("| C02, Total | 10 | | mmol/L | 22 ~ 29 |", 22, 29, Severity.ABNORMAL),  # OCR's spaced hyphen
        ("Albumin 3.7 g/dL 3.5~5.0", 3.5, 5.0, Severity.NORMAL),  # printed with a tilde
    ],
)
def test_tilde_joins_a_range(
    limits: CriticalLimits, line: str, low: float, high: float, severity: Severity
) -> None:
    [finding] = extract_labs(line, limits)

    assert (finding.reference_low, finding.reference_high, finding.severity) == (low, high, severity)
