"""Sentence ends inside a line: a value, unit, range or flag never belongs to an analyte across one."""

from __future__ import annotations

import pytest

from multimed.findings.draft import Severity
from multimed.findings.labs import CriticalLimits, extract_labs, load_critical_limits
from multimed.findings.labs.sentences import sentence_spans


@pytest.fixture(scope="module")
def limits() -> CriticalLimits:
    return load_critical_limits()


@pytest.mark.parametrize(
    ("line", "sentences"),
    [
        ("Blood glucose 240. Potassium is 6.8 mmol/L.", ["Blood glucose 240.", "Potassium is 6.8 mmol/L."]),
        ("glucose 240. potassium 6.8", ["glucose 240.", "potassium 6.8"]),
        ("Sodium 132! Potassium 6.8? Yes.", ["Sodium 132!", "Potassium 6.8?", "Yes."]),
        ("Creatinine 1.4 mg/dL. Ref. Range 0.6-1.2", ["Creatinine 1.4 mg/dL.", "Ref. Range 0.6-1.2"]),
        ("Seen by [CLINICIAN_1]. Potassium 6.8", ["Seen by [CLINICIAN_1].", "Potassium 6.8"]),
        ("Potassium 6.8 (3.5-5.1). Sodium 132", ["Potassium 6.8 (3.5-5.1).", "Sodium 132"]),
        # Not sentence ends: decimals, OCR's spaced decimal point, dot leaders, abbreviations, single letters,
        # a lower-case word that is no analyte.
        ("Potassium 6. 8 mmol/L", ["Potassium 6. 8 mmol/L"]),
        ("Potassium 6 . 8 mmol/L", ["Potassium 6 . 8 mmol/L"]),
        ("Glucose . . . . . 92 mg/dL", ["Glucose . . . . . 92 mg/dL"]),
        ("Chloride ........ccvvvnn. 83 mmol/L", ["Chloride ........ccvvvnn. 83 mmol/L"]),
        ("T. Bili 1.2 mg/dL", ["T. Bili 1.2 mg/dL"]),
        ("Alk. Phos 120 U/L", ["Alk. Phos 120 U/L"]),
        ("Ref. Range 3.5-5.1", ["Ref. Range 3.5-5.1"]),
        ("Seen by Dr. [CLINICIAN_1] today", ["Seen by Dr. [CLINICIAN_1] today"]),
        ("potassium 6.8 mmol/L. repeat sample", ["potassium 6.8 mmol/L. repeat sample"]),
    ],
)
def test_sentence_spans(line: str, sentences: list[str]) -> None:
    assert [line[start:end] for start, end in sentence_spans(line)] == sentences


def test_unit_of_the_next_sentence_is_not_taken(limits: CriticalLimits) -> None:
    text = "Blood glucose 240. Potassium is 6.8 mmol/L."

    findings = extract_labs(text, limits)

    assert [(text[f.start : f.end], f.name, f.value, f.unit, f.severity) for f in findings] == [
        ("Blood glucose 240", "glucose", 240, "mg/dL", Severity.NORMAL),
        ("Potassium is 6.8 mmol/L", "potassium", 6.8, "mmol/L", Severity.CRITICAL),
    ]
    assert [f.details["unit_assumed"] for f in findings] == [True, False]


def test_range_and_flag_of_the_next_sentence_are_not_taken(limits: CriticalLimits) -> None:
    text = "Glucose 92. Sodium 118 mmol/L (136-145) LL."

    glucose, sodium = extract_labs(text, limits)

    assert (text[glucose.start : glucose.end], glucose.reference_low, glucose.flag) == (
        "Glucose 92",
        None,
        None,
    )
    assert glucose.severity is Severity.NORMAL
    assert (sodium.reference_low, sodium.flag, sodium.severity) == (136, "LL", Severity.CRITICAL)


def test_lower_case_analyte_after_a_period_starts_a_sentence(limits: CriticalLimits) -> None:
    text = "glucose 240. potassium 6.8 mmol/L"

    glucose, potassium = extract_labs(text, limits)

    assert (glucose.unit, glucose.value, glucose.details["unit_assumed"]) == ("mg/dL", 240, True)
    assert (potassium.value, potassium.unit) == (6.8, "mmol/L")


def test_nothing_from_the_next_line(limits: CriticalLimits) -> None:
    text = "Potassium 6.8\nmmol/L (3.5-5.1) HH\n"

    [finding] = extract_labs(text, limits)

    assert (text[finding.start : finding.end], finding.flag, finding.reference_low) == (
        "Potassium 6.8",
        None,
        None,
    )


def test_words_after_a_result_end_it(limits: CriticalLimits) -> None:
    text = "Hemoglobin 6.4 this morning, transfused 2 units, range was 12-16 g/dL"

    [finding] = extract_labs(text, limits)

    assert (text[finding.start : finding.end], finding.unit, finding.reference_low) == (
        "Hemoglobin 6.4",
        "g/dL",
        None,
    )
    assert finding.details["unit_assumed"] is True


def test_short_names_in_sentences_of_one_line_are_a_list(limits: CriticalLimits) -> None:
    text = "Na 139. K 4.1"

    assert [(f.name, f.value) for f in extract_labs(text, limits)] == [("sodium", 139), ("potassium", 4.1)]


def test_abbreviation_period_keeps_the_range_with_its_value(limits: CriticalLimits) -> None:
    text = "Creatinine 1.4 mg/dL Ref. Range 0.6-1.2"

    [finding] = extract_labs(text, limits)

    assert (finding.reference_low, finding.reference_high, finding.severity) == (0.6, 1.2, Severity.ABNORMAL)
