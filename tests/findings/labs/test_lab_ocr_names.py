"""Analyte names as OCR misreads them: read when the unit (or a unitless analyte's range) confirms them."""

from __future__ import annotations

import pytest

from multimed.findings.draft import Severity
from multimed.findings.labs import CriticalLimits, extract_labs, load_critical_limits
from multimed.findings.labs.ocr_names import fold, misread_index


@pytest.fixture(scope="module")
def limits() -> CriticalLimits:
    return load_critical_limits()


@pytest.mark.parametrize(
    ("line", "name", "value"),
    [
        ("Tnl 0.02 ug/L (0.00-0.04)", "troponin I", 0.02),
        ("P1t 150 K/uL (150-400)", "platelets", 150),
        ("Pt 385 K/uL 150-400", "platelets", 385),
        ("HCO03 25 22-26 mmol/L", "bicarbonate", 25),
        ("pCO02 27 Low 35-45 mmHg", "pCO2", 27),
        ("€02, Total: 23 mmol/L (22-29)", "carbon dioxide (total)", 23),
        ("Ccl 92 mmol/L 98-107", "chloride", 92),
        ("cl 103 mmol/L (98-107)", "chloride", 103),
        ("HbAlc 6.1 % (4.0-5.6)", "hemoglobin A1c", 6.1),
        ("pPH: 7.37 (7.35-7.45)", "pH", 7.37),
        ("wWhite Blood Cells 2.0 x10E3/uL (4.0-11.0) A", "WBC", 2.0),
        ("Pt 12.6 sec (11.0-13.5)", "PT", 12.6),
    ],
)
def test_misread_name_confirmed_by_its_cells(
    limits: CriticalLimits, line: str, name: str, value: float
) -> None:
    [finding] = extract_labs(line, limits)

    assert (finding.name, finding.value, finding.details["name_misread"]) == (
        name,
        pytest.approx(value),
        True,
    )
    assert line[finding.start : finding.end] == line


@pytest.mark.parametrize(
    "line",
    [
        "GL 105 mmol/L (98-107)",  # GLU lost a U, not a thin glyph: no guess
        "Pt 45 years old",  # no unit confirms it
        "Pt 12 mg/dL (8-20)",  # neither platelets' nor prothrombin time's unit
        "PH 7.38",  # a unitless analyte needs its range as well
        "pPH: 73.8 (7.35-7.45)",  # ... and a plausible value
        "Patient 123 mmol/L",
    ],
)
def test_unconfirmed_misread_name_is_not_read(limits: CriticalLimits, line: str) -> None:
    assert [f for f in extract_labs(line, limits) if f.details["name_misread"]] == []


def test_misread_name_beside_another_result(limits: CriticalLimits) -> None:
    line = "Creat 102 umol/L 53-106 Pt 270 K/uL 150-400"

    findings = extract_labs(line, limits)

    assert [(f.name, line[f.start : f.end]) for f in findings] == [
        ("creatinine", "Creat 102 umol/L 53-106"),
        ("platelets", "Pt 270 K/uL 150-400"),
    ]


def test_a_flag_cell_starts_no_misread_name(limits: CriticalLimits) -> None:
    line = "WBC   45.2 x10^9/L   H        Hgb   11.0 g/dL   L"

    findings = extract_labs(line, limits)

    assert [(f.name, f.flag, f.details["name_misread"]) for f in findings] == [
        ("WBC", "H", False),
        ("hemoglobin", "L", False),
    ]


def test_misread_name_keeps_a_critical_value_critical(limits: CriticalLimits) -> None:
    [finding] = extract_labs("Pt <5 1073/uL 150-400 LL", limits)

    assert (finding.name, finding.severity) == ("platelets", Severity.CRITICAL)


def test_confusable_folds_are_one_name_and_shared_folds_none() -> None:
    assert fold("TnI") == fold("Tnl") == fold("Tn1")
    assert fold("CO2") == fold("C02") == fold("€O2")
    index = misread_index()
    owners = {analyte.name for analyte in index.by_fold.values()}
    assert "hemoglobin A1c" in owners
    # Every folded alias names one analyte: a fold two analytes share was left out, not given to one.
    assert all(
        index.by_fold[fold(alias)].name == a.name
        for a in index.by_fold.values()
        for alias in a.aliases
        if fold(alias) in index.by_fold
    )
