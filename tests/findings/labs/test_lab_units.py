"""Unit spellings that mean one unit, and conversions into each analyte's canonical unit."""

from __future__ import annotations

import pytest

from multimed.findings.labs import CriticalLimits, UnknownConversion, extract_labs, load_critical_limits
from multimed.findings.labs.units import conversions, unit_table


@pytest.fixture(scope="module")
def limits() -> CriticalLimits:
    return load_critical_limits()


@pytest.mark.parametrize(
    ("printed", "canonical"),
    [
        ("mmol/L", "mmol/L"),
        ("MMOL/L", "mmol/L"),
        ("mEq/L", "mEq/L"),
        ("mg/dl", "mg/dL"),
        ("gm/dL", "g/dL"),
        ("10*9/L", "10*9/L"),
        ("10^9/L", "10*9/L"),
        ("x 10^9/L", "10*9/L"),
        ("K/uL", "10*9/L"),
        ("K/µL", "10*9/L"),
        ("10^3/uL", "10*9/L"),
        ("x10E3/uL", "10*9/L"),
        ("thou/uL", "10*9/L"),
        ("ng/mL", "ng/mL"),
        ("ug/L", "ng/mL"),
        ("ng/L", "ng/L"),
        ("U/L", "U/L"),
        ("IU/L", "U/L"),
        ("uIU/mL", "mIU/L"),
        ("%", "%"),
        ("s", "s"),
        ("sec", "s"),
        ("{INR}", "{INR}"),
        ("mmHg", "mm[Hg]"),
        ("mm[Hg]", "mm[Hg]"),
        ("[pH]", "[pH]"),
        ("µmol/L", "umol/L"),
        ("μmol/L", "umol/L"),
        ("mL/min/1.73m²", "mL/min/{1.73_m2}"),
    ],
)
def test_spelling(printed: str, canonical: str) -> None:
    match = unit_table().pattern.match(printed)

    assert match is not None
    assert match.group() == printed
    assert unit_table().canonical(printed) == canonical


@pytest.mark.parametrize(
    ("analyte", "source", "target", "factor"),
    [
        ("glucose", "mmol/L", "mg/dL", 18.016),
        ("hemoglobin", "g/L", "g/dL", 0.1),
        ("calcium", "mmol/L", "mg/dL", 4.008),
        ("magnesium", "mmol/L", "mg/dL", 2.431),
        ("creatinine", "umol/L", "mg/dL", 1 / 88.4),
        ("BUN", "mmol/L", "mg/dL", 2.801),
        ("troponin I", "ng/mL", "ng/L", 1000),
        ("cholesterol", "mmol/L", "mg/dL", 38.67),
        ("triglycerides", "mmol/L", "mg/dL", 88.57),
        ("bilirubin (total)", "umol/L", "mg/dL", 1 / 17.1),
        ("phosphorus", "mmol/L", "mg/dL", 3.097),
        ("potassium", "mEq/L", "mmol/L", 1.0),
        ("calcium", "mEq/L", "mg/dL", 2.004),
        ("fibrinogen", "g/L", "mg/dL", 100),
        ("platelets", "/uL", "10*9/L", 0.001),
        ("pCO2", "kPa", "mm[Hg]", 7.50062),
    ],
)
def test_conversion_factor(analyte: str, source: str, target: str, factor: float) -> None:
    assert conversions().factor(analyte, source, target) == pytest.approx(factor)


@pytest.mark.parametrize(
    ("analyte", "source", "target"),
    [("glucose", "U/L", "mg/dL"), ("sodium", "mg/dL", "mmol/L"), ("albumin", "mEq/L", "g/dL")],
)
def test_unrelated_units_do_not_convert(analyte: str, source: str, target: str) -> None:
    with pytest.raises(UnknownConversion, match=f"no conversion from {source} to {target} for {analyte}"):
        conversions().convert(analyte, 1.0, source, target)


@pytest.mark.parametrize(
    ("line", "name", "value", "unit"),
    [
        ("Glucose 5.5 mmol/L", "glucose", 99.088, "mg/dL"),
        ("Creatinine 177 umol/L", "creatinine", 2.0023, "mg/dL"),
        ("Urea 7.1 mmol/L", "urea", 7.1, "mmol/L"),
        ("BUN 5.0 mmol/L", "BUN", 14.005, "mg/dL"),
        ("Bilirubin total 34.2 umol/L", "bilirubin (total)", 2.0, "mg/dL"),
        ("Troponin I 45 ng/L", "troponin I (high sensitivity)", 45, "ng/L"),
        ("Troponin T 0.05 ng/mL", "troponin T", 0.05, "ng/mL"),
        ("hs-TnT 52 pg/mL", "troponin T (high sensitivity)", 52, "ng/L"),
        ("Neutrophils 62 %", "neutrophils %", 62, "%"),
        ("Neutrophils 4.1 K/uL", "neutrophils", 4.1, "10*9/L"),
        ("Neut % 4.1 K/uL", "neutrophils", 4.1, "10*9/L"),
        ("Platelets 250,000 /uL", "platelets", 250, "10*9/L"),
        ("Hematocrit 0.42 L/L", "hematocrit", 42, "%"),
        ("Ammonia 60 ug/dL", "ammonia", 35.232, "umol/L"),
        ("TSH 2.1 uIU/mL", "TSH", 2.1, "mIU/L"),
        ("Magnesium 0.70 mmol/L", "magnesium", 1.7017, "mg/dL"),
        ("Phosphorus 1.0 mmol/L", "phosphorus", 3.097, "mg/dL"),
        ("Hemoglobin A1c 6.5 %", "hemoglobin A1c", 6.5, "%"),
        ("eGFR >60 mL/min/1.73m2", "eGFR", 60, "mL/min/{1.73_m2}"),
    ],
)
def test_values_in_canonical_unit(
    limits: CriticalLimits, line: str, name: str, value: float, unit: str
) -> None:
    [finding] = extract_labs(line, limits)

    assert (finding.name, finding.unit) == (name, unit)
    assert finding.value == pytest.approx(value, rel=1e-4)
    assert line[finding.start : finding.end] == line


def test_printed_value_and_unit_are_kept(limits: CriticalLimits) -> None:
    [finding] = extract_labs("Glucose 2.7 mmol/L (3.9-5.5)", limits)

    assert finding.details["printed_value"] == 2.7
    assert finding.details["printed_unit"] == "mmol/L"
    assert finding.details["unit_assumed"] is False
    assert finding.reference_low == pytest.approx(70.26, rel=1e-3)
    assert finding.reference_high == pytest.approx(99.09, rel=1e-3)


def test_unconvertible_unit_keeps_the_printed_unit(limits: CriticalLimits) -> None:
    [finding] = extract_labs("Hemoglobin A1c 48 mmol/mol", limits)

    assert (finding.value, finding.unit) == (48, "mmol/mol")


def test_missing_unit_is_assumed_canonical_and_said_so(limits: CriticalLimits) -> None:
    [finding] = extract_labs("Glucose 92", limits)

    assert (finding.value, finding.unit, finding.details["unit_assumed"]) == (92, "mg/dL", True)
