"""A critical-flagged result line whose analyte name cannot be read: CRITICAL for review, never dropped."""

from __future__ import annotations

import uuid

import pytest

from multimed.findings.citation import cite_span
from multimed.findings.draft import FindingKind, Severity
from multimed.findings.labs import CriticalLimits, extract_labs, load_critical_limits
from multimed.findings.labs.unidentified import UNIDENTIFIED
from multimed.findings.models import Finding
from multimed.summaries.builder import CRITICAL, CitedFinding, build_sections

# Printed "Plt 1011 K/uL Critical (150-400)"; Tesseract read the name as "BLY" (generated scan, seed 4).
BLY = "BLY 1011 K/uL Critical (150-400)"


@pytest.fixture(scope="module")
def limits() -> CriticalLimits:
    return load_critical_limits()


def test_critical_flagged_line_without_a_readable_name(limits: CriticalLimits) -> None:
    [finding] = extract_labs(BLY, limits)

    assert (finding.kind, finding.name, finding.severity, finding.code) == (
        FindingKind.LAB,
        UNIDENTIFIED,
        Severity.CRITICAL,
        None,
    )
    assert (finding.value, finding.value_text, finding.details["printed_unit"], finding.flag) == (
        1011,
        "1011",
        "K/uL",
        "HH",
    )
    assert (finding.reference_low, finding.reference_high) == (150, 400)
    assert finding.details["printed_flag"] == "Critical"
    assert (finding.details["name_unreadable"], finding.details["name_misread"]) == (True, False)
    assert BLY[finding.start : finding.end] == BLY


@pytest.mark.parametrize(
    ("text", "quote", "flag"),
    [
        ("Chem  xqz7 2.1 mmol/L LL (3.5-5.1)", "Chem  xqz7 2.1 mmol/L LL (3.5-5.1)", "LL"),
        ("BLY CRIT 1011 K/uL (150-400)", "BLY CRIT 1011 K/uL (150-400)", "HH"),  # flag before the value
        ("BLY 1011 K/uL !!", "BLY 1011 K/uL !!", "AA"),  # a unit, no range: no side
        ("Wbq 0.4 (4.0-11.0) CRIT", "Wbq 0.4 (4.0-11.0) CRIT", "LL"),  # no unit, a range
        ("* = critical value\n*BLY 1011 K/uL (150-400)", "*BLY 1011 K/uL (150-400)", "HH"),  # the legend's *
    ],
)
def test_each_printed_critical_flag_holds_it_for_review(
    limits: CriticalLimits, text: str, quote: str, flag: str
) -> None:
    [finding] = extract_labs(text, limits)

    assert (finding.name, finding.severity, finding.flag) == (UNIDENTIFIED, Severity.CRITICAL, flag)
    assert text[finding.start : finding.end] == quote


@pytest.mark.parametrize(
    "text",
    [
        "BLY 1011 K/uL (150-400)",  # no flag
        "BLY 1011 K/uL H (150-400)",  # a flag that does not say critical
        "BLY 1011 K/uL * (150-400)",  # "*" without a legend that makes it critical
        "BLY 1011 Critical",  # neither unit nor range: not plainly a result line
        "critical care unit 3",
        "Patient transferred to the critical care unit 3 days ago.",
        "Critical 1011 K/uL (150-400)",  # a flag, no name cell
        "Critical values are called to the ordering provider within 30 minutes.",
        "CRITICAL VALUE called to RN at 10:15, read back",
    ],
)
def test_no_unidentified_finding_without_a_critical_result_line(limits: CriticalLimits, text: str) -> None:
    assert extract_labs(text, limits) == []


def test_a_recognised_analyte_keeps_its_name(limits: CriticalLimits) -> None:
    [finding] = extract_labs("Plt 1011 K/uL Critical (150-400)", limits)

    assert (finding.name, finding.severity, finding.details["name_unreadable"]) == (
        "platelets",
        Severity.CRITICAL,
        False,
    )


def test_a_report_reads_its_results_and_holds_the_unreadable_one(limits: CriticalLimits) -> None:
    text = f"Hgb 13.2 g/dL (12.0-16.0)\n{BLY}\nWBC 7.1 K/uL (4.0-11.0)\n"

    findings = extract_labs(text, limits)

    assert [(f.name, f.severity) for f in findings] == [
        ("hemoglobin", Severity.NORMAL),
        (UNIDENTIFIED, Severity.CRITICAL),
        ("WBC", Severity.NORMAL),
    ]


def test_beside_a_named_result_on_the_same_line(limits: CriticalLimits) -> None:
    line = f"{BLY}    Hgb 13.2 g/dL (12.0-16.0)"

    findings = extract_labs(line, limits)

    assert [(f.name, f.severity, line[f.start : f.end]) for f in findings] == [
        (UNIDENTIFIED, Severity.CRITICAL, BLY),
        ("hemoglobin", Severity.NORMAL, "Hgb 13.2 g/dL (12.0-16.0)"),
    ]


def test_a_recognised_name_that_is_no_result_is_not_made_unidentified(limits: CriticalLimits) -> None:
    assert extract_labs("Potassium chloride 20 mEq CRIT", limits) == []


def test_summary_lists_it_under_critical_findings_with_its_citation(limits: CriticalLimits) -> None:
    text = f"Hgb 13.2 g/dL (12.0-16.0)\n{BLY}\n"
    file_id, organization, patient = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    cited = []
    for draft in extract_labs(text, limits):
        citation = cite_span(
            file_id=file_id, version=1, text=text, positions=[], start=draft.start, end=draft.end
        )
        finding = Finding(
            organization_id=organization,
            patient_id=patient,
            file_id=file_id,
            kind=draft.kind.value,
            name=draft.name,
            code=draft.code,
            value=draft.value,
            value_text=draft.value_text,
            unit=draft.unit,
            reference_low=draft.reference_low,
            reference_high=draft.reference_high,
            flag=draft.flag,
            severity=draft.severity.value,
            quote=citation.quote,
            details=dict(draft.details),
        )
        cited.append(CitedFinding(finding, citation))

    sections = build_sections(cited, [])

    [critical] = [s for s in sections if s.title == CRITICAL]
    [statement] = critical.statements
    assert statement.text == "Unidentified result (name unreadable) 1011 K/uL (reference 150-400; flag HH)"
    assert statement.severity is Severity.CRITICAL
    assert [c.quote for c in statement.citations] == [BLY]
    assert text[statement.citations[0].char_start : statement.citations[0].char_end] == BLY
