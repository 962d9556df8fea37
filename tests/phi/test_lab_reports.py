"""Generated lab reports under SAFE_HARBOR: every header identifier goes, every printed test name stays."""

from __future__ import annotations

import re

import pytest

from factories.lab_reports import LabReport, generate_reports
from multimed.deid.policy import PolicyName, load_policy
from multimed.deid.service import anonymize_test
from multimed.ml.phi.base import PhiDetector

# Report i does not depend on n: 24 reports of each seed cover all three header styles and every layout.
REPORTS_PER_SEED = 24
SEEDS = (1, 2)


@pytest.fixture(scope="module")
def reports() -> list[LabReport]:
    return [report for seed in SEEDS for report in generate_reports(REPORTS_PER_SEED, seed)]


@pytest.fixture(scope="module")
def released(reports: list[LabReport], detector: PhiDetector) -> dict[str, str]:
    """Each report's text after the anonymization test with the Safe Harbor policy."""
    policy = load_policy(PolicyName.SAFE_HARBOR)
    return {r.id: anonymize_test(r.text, detector=detector, policy=policy).text for r in reports}


def test_no_header_identifier_survives(reports: list[LabReport], released: dict[str, str]) -> None:
    leaks = [
        f"{report.id} {kind}"
        for report in reports
        for kind, value in report.header.identifiers().items()
        if value.lower() in released[report.id].lower()
    ]

    assert leaks == []


def test_every_printed_test_name_survives(reports: list[LabReport], released: dict[str, str]) -> None:
    damaged = [
        f"{report.id} {result.label!r}"
        for report in reports
        for result in report.results
        if result.label not in released[report.id]
    ]

    assert damaged == []


def test_redactions_cover_whole_words(reports: list[LabReport], released: dict[str, str]) -> None:
    """A surrogate never has a letter or digit of the original glued to it ("[CLINICIAN_2]D")."""
    glued = [
        f"{report.id} {match.group()!r}"
        for report in reports
        for match in re.finditer(r"\w\[[A-Z_]+_\d+\]|\[[A-Z_]+_\d+\]\w", released[report.id])
    ]

    assert glued == []


def test_the_sample_holds_every_header_style(reports: list[LabReport]) -> None:
    """The header lines that leaked before: "Acc No:", "ORDERED BY:" in capitals, "Last, First MD"."""
    texts = [r.text for r in reports]

    assert any("Acc No: " in t for t in texts)
    assert any("ORDERED BY: " in t for t in texts)
    assert any(re.search(r"Physician: [A-Z][a-z]+, [A-Z][a-z]+ MD", t) for t in texts)
