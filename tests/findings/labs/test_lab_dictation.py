"""Results stated in prose and dictation transcripts (Whisper writes digits, rarely a unit): the value is read
in the analyte's canonical unit, marked assumed, and judged by the critical limits; the quote covers the
name and the value only."""

from __future__ import annotations

import pytest

from multimed.findings.draft import FindingDraft, Severity
from multimed.findings.labs import CriticalLimits, extract_labs, load_critical_limits


@pytest.fixture(scope="module")
def limits() -> CriticalLimits:
    return load_critical_limits()


def _read(text: str, limits: CriticalLimits) -> list[tuple[str, str, float, str, Severity, bool]]:
    return [
        (text[f.start : f.end], f.name, f.value or 0.0, f.unit or "", f.severity, f.details["unit_assumed"])
        for f in extract_labs(text, limits)
    ]


@pytest.mark.parametrize(
    ("text", "quote", "name", "value", "unit", "severity"),
    [
        ("Potassium 6.8.", "Potassium 6.8", "potassium", 6.8, "mmol/L", Severity.CRITICAL),
        ("Sodium 132.", "Sodium 132", "sodium", 132, "mmol/L", Severity.NORMAL),
        ("Sodium 118.", "Sodium 118", "sodium", 118, "mmol/L", Severity.CRITICAL),
        ("Creatinine 1.4", "Creatinine 1.4", "creatinine", 1.4, "mg/dL", Severity.NORMAL),
        ("Blood glucose 240", "Blood glucose 240", "glucose", 240, "mg/dL", Severity.NORMAL),
        ("Blood glucose 38.", "Blood glucose 38", "glucose", 38, "mg/dL", Severity.CRITICAL),
        ("potassium is 6.8", "potassium is 6.8", "potassium", 6.8, "mmol/L", Severity.CRITICAL),
        ("potassium of 6.8", "potassium of 6.8", "potassium", 6.8, "mmol/L", Severity.CRITICAL),
        (
            "Her potassium came back at 6.8.",
            "potassium came back at 6.8",
            "potassium",
            6.8,
            "mmol/L",
            Severity.CRITICAL,
        ),
        ("Hemoglobin 6.4 this morning.", "Hemoglobin 6.4", "hemoglobin", 6.4, "g/dL", Severity.CRITICAL),
        (
            "Potassium this morning was 6.8.",
            "Potassium this morning was 6.8",
            "potassium",
            6.8,
            "mmol/L",
            Severity.CRITICAL,
        ),
        ("Lactate is 5.2.", "Lactate is 5.2", "lactate", 5.2, "mmol/L", Severity.CRITICAL),
        ("INR 6.5 on warfarin.", "INR 6.5", "INR", 6.5, "{INR}", Severity.CRITICAL),
    ],
)
def test_unitless_dictated_result(
    limits: CriticalLimits, text: str, quote: str, name: str, value: float, unit: str, severity: Severity
) -> None:
    [finding] = extract_labs(text, limits)

    assert (text[finding.start : finding.end], finding.name, finding.unit, finding.severity) == (
        quote,
        name,
        unit,
        severity,
    )
    assert finding.value == pytest.approx(value)
    assert finding.details["unit_assumed"] is True
    assert finding.details["implausible"] is False


def test_whisper_transcript_of_the_chest_pain_dictation(limits: CriticalLimits) -> None:
    text = "Patient reports chest pain for two days. Potassium 6.8. Blood pressure 1.6 to over 95."

    assert _read(text, limits) == [("Potassium 6.8", "potassium", 6.8, "mmol/L", Severity.CRITICAL, True)]


def test_whisper_transcript_of_the_renal_dictation(limits: CriticalLimits) -> None:
    text = "Sodium 132. Creatinine 1.4. Hold furosemide and recheck electrolytes tomorrow morning."

    assert _read(text, limits) == [
        ("Sodium 132", "sodium", 132, "mmol/L", Severity.NORMAL, True),
        ("Creatinine 1.4", "creatinine", 1.4, "mg/dL", Severity.NORMAL, True),
    ]


def test_whisper_transcript_of_the_diabetes_dictation(limits: CriticalLimits) -> None:
    text = (
        "Blood glucose 240. Continue metformin 500 milligrams twice daily. "
        "Add atorvastatin 40 milligrams at night."
    )

    assert _read(text, limits) == [("Blood glucose 240", "glucose", 240, "mg/dL", Severity.NORMAL, True)]


def test_results_named_inside_a_sentence(limits: CriticalLimits) -> None:
    text = "Labs notable for potassium of 6.8 and creatinine 1.4, otherwise unremarkable."

    assert _read(text, limits) == [
        ("potassium of 6.8", "potassium", 6.8, "mmol/L", Severity.CRITICAL, True),
        ("creatinine 1.4", "creatinine", 1.4, "mg/dL", Severity.NORMAL, True),
    ]


def test_prose_result_with_its_unit_and_range(limits: CriticalLimits) -> None:
    text = "The potassium this morning was 6.8 mmol/L (3.5-5.1), repeated on a fresh sample."

    [finding] = extract_labs(text, limits)

    assert text[finding.start : finding.end] == "potassium this morning was 6.8 mmol/L (3.5-5.1)"
    assert (finding.reference_low, finding.reference_high, finding.details["unit_assumed"]) == (
        3.5,
        5.1,
        False,
    )


def test_dictated_results_in_a_multi_line_transcript_keep_their_offsets(limits: CriticalLimits) -> None:
    text = (
        "[CLINICIAN_1] dictating for [PATIENT_1].\nPotassium 6.8. Sodium 132.\nHemoglobin 6.4 this morning.\n"
    )

    findings = extract_labs(text, limits)

    assert [text[f.start : f.end] for f in findings] == ["Potassium 6.8", "Sodium 132", "Hemoglobin 6.4"]


@pytest.mark.parametrize(
    "text",
    [
        # Implausible in the canonical unit: a value dictated in another unit, or a misheard number.
        "Sodium 1325.",
        "Glucose 5.5.",
        "Hemoglobin 64 this morning.",
        "Creatinine 120.",
        "Potassium 68.",
        # Targets and orders, not results.
        "Goal potassium of 4.0.",
        "Keep magnesium at 2.",
        "Replete potassium to 4.0.",
        "Recheck potassium 6.8 in two hours.",
        "Titrate insulin if glucose is 300.",
        # Doses written out by Whisper.
        "Magnesium 2 grams IV now.",
        "Potassium 40 milliequivalents by mouth.",
        "Start lisinopril 10 milligrams daily.",
        "Give acetaminophen 1 gram every 6 hours as needed.",
        # Not a value right after the name.
        "Hemoglobin dropped from 9.8 yesterday.",
        "Potassium was not checked, glucose pending, 2 days of vomiting.",
        "Patient with low sodium for 2 days.",
        "Check potassium in 2 hours.",
        "Potassium normal range 3.5 to 5.1.",
        # One- or two-letter names inside prose need a unit, range or flag.
        "Seen by the team at 10, K 5 noted.",
        # Vitals are not labs.
        "Heart rate 112. Temperature 38.5. Blood pressure 160 over 95.",
    ],
)
def test_not_a_dictated_result(limits: CriticalLimits, text: str) -> None:
    assert extract_labs(text, limits) == []


def test_a_short_name_with_its_unit_is_read_in_prose(limits: CriticalLimits) -> None:
    text = "Repeat labs with K 5.9 mmol/L and a normal sodium."

    [finding] = extract_labs(text, limits)

    assert (text[finding.start : finding.end], finding.name) == ("K 5.9 mmol/L", "potassium")


def test_dictated_value_is_one_finding_per_statement(limits: CriticalLimits) -> None:
    findings: list[FindingDraft] = extract_labs("Potassium 6.8. Potassium is 6.8.", limits)

    assert [(f.start, f.end) for f in findings] == [(0, 13), (15, 31)]
