"""Lines that are not lab results: identifiers, dates, pages, phone numbers, ranges alone, doses, prose."""

from __future__ import annotations

import pytest

from multimed.findings.labs import CriticalLimits, extract_labs, load_critical_limits


@pytest.fixture(scope="module")
def limits() -> CriticalLimits:
    return load_critical_limits()


@pytest.mark.parametrize(
    "line",
    [
        "Patient: [PATIENT_1]   MRN: [MRN_2]",
        "MRN 00123456",
        "DOB: 03/14/1957   Collected: 01/18/2023 07:45",
        "Page 1 of 2",
        "Phone: 555-867-5309   Fax: 555-867-5310",
        "Reference range: 3.5-5.1 mmol/L",
        "Potassium reference range 3.5-5.1 mmol/L",
        "Potassium: see comment",
        "Potassium chloride 20 mEq PO daily",
        "Potassium 'chloride' 20 mEq PO daily",  # a quoted word is a word, not a stray mark
        "Potassium ' chloride 20 mEq PO daily",
        "Potassium 40 mEq PO once",
        "Magnesium 400 mg daily",
        "Magnesium oxide 400 mg",
        "Calcium carbonate 500 mg",
        "Sodium bicarbonate 650 mg tablet",
        "Iron sulfate 325 mg",
        "Vitamin B12 1000 mcg IM monthly",
        "Glucose tolerance test 2 hour",
        "Hemoglobin A1c goal <7",
        "Pt 45 yo male",
        "K [MRN_2]",
        "Collected 2023-01-18 08:30",
        "Test  Result  Flag  Units  Reference Range",
        "WBC",
        "Troponin I pending",
        "Glucose: negative",
        "CA 921",
    ],
)
def test_not_a_result(limits: CriticalLimits, line: str) -> None:
    assert extract_labs(line, limits) == []


def test_only_results_from_a_mixed_report(limits: CriticalLimits) -> None:
    text = (
        "GENERAL HOSPITAL  Lab: (555) 010-2000\n"
        "Patient: [PATIENT_1]  MRN: [MRN_3]  Acct 88812\n"
        "Reported: 02/03/2023 11:02  Page 2 of 3\n"
        "Potassium 4.1 mmol/L (3.5-5.1)\n"
        "Reference ranges apply to adults 18-65 years.\n"
        "Started potassium chloride 20 mEq PO.\n"
        "Electronically signed by [CLINICIAN_1] 02/03/2023\n"
    )

    findings = extract_labs(text, limits)

    assert [(text[f.start : f.end], f.name) for f in findings] == [
        ("Potassium 4.1 mmol/L (3.5-5.1)", "potassium")
    ]
