"""Generated lab reports: determinism, ground-truth sanity, and PDF -> de-identified text -> lab findings."""

from __future__ import annotations

import re
import warnings
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from factories.lab_reports import LabReport, generate_reports, to_scanned_pdf, to_text_pdf
from factories.lab_reports.catalog import DATA
from factories.lab_reports.layouts import LAYOUTS, MAX_LINE
from factories.lab_reports.oracle import expected_severity
from multimed.deid.policy import PolicyName, load_policy
from multimed.deid.service import anonymize_test
from multimed.extraction.pdf import read_pdf
from multimed.findings.draft import FindingDraft, Severity
from multimed.ml.ocr.base import OcrEngine
from multimed.ml.ocr.registry import build_ocr_engine
from multimed.ml.phi.base import PhiDetector

try:
    from multimed.findings.labs.limits import load_critical_limits
    from multimed.findings.labs.parser import extract_labs

    PARSER_ERROR = ""
except ImportError as exc:  # the lab parser is written in parallel; only the end-to-end tests need it
    PARSER_ERROR = f"multimed.findings.labs.parser does not import yet ({exc})"

needs_parser = pytest.mark.skipif(bool(PARSER_ERROR), reason=PARSER_ERROR or "parser present")
SHARED_LIMITS = Path(__file__).resolve().parents[3] / "shared" / "reference" / "critical-values.csv"
SAFE_HARBOR = load_policy(PolicyName.SAFE_HARBOR)


@pytest.fixture(scope="module")
def reports() -> list[LabReport]:
    return generate_reports(60, 1)


@pytest.fixture(scope="module")
def detector() -> PhiDetector:
    with warnings.catch_warnings():
        # spaCy/thinc and presidio import-time deprecations are theirs, not ours.
        warnings.filterwarnings(
            "ignore", category=DeprecationWarning, module=r"(spacy|thinc|presidio_analyzer)\b.*"
        )
        from multimed.ml.phi.registry import build_phi_detector

        return build_phi_detector("presidio")


@pytest.fixture(scope="module")
def ocr() -> OcrEngine:
    return build_ocr_engine("tesseract")


def test_same_seed_same_reports() -> None:
    first, again, other = generate_reports(9, 5), generate_reports(9, 5), generate_reports(9, 6)

    assert first == again
    assert [r.text for r in first] != [r.text for r in other]
    assert generate_reports(4, 5) == first[:4]
    assert to_text_pdf(first[0]) == to_text_pdf(again[0])


def test_a_third_of_reports_hold_a_critical_value(reports: list[LabReport]) -> None:
    with_critical = [r.id for r in reports if r.criticals]

    assert len(with_critical) == 20
    assert all(r.criticals for r in reports[::3])


def test_layouts_units_flags_and_qualifiers_vary(reports: list[LabReport]) -> None:
    flags = {r.flag for report in reports for r in report.results if r.flag}

    assert {r.layout for r in reports} == set(LAYOUTS)
    assert len(LAYOUTS) >= 8
    assert 10 <= sum(r.si_units for r in reports) <= 30
    assert {u for r in reports for u in (x.unit for x in r.results)} >= {"mmol/L", "g/L", "umol/L", "mg/dL"}
    assert {"H", "L", "HH", "LL", "A", "*", "High", "Low", "CRIT", "Critical"} <= flags
    assert {x.qualifier for r in reports for x in r.results} == {None, "<", ">"}
    assert {len(r.pages) for r in reports} == {1, 2}
    panels = Counter(x.panel for r in reports for x in r.results)
    assert set(panels) == {"BMP", "CMP", "CBC", "LIPIDS", "COAG", "CARDIAC", "THYROID", "GAS"}


def test_values_sit_on_both_sides_of_critical_limits(reports: list[LabReport]) -> None:
    printed = {(x.analyte, x.value_text, x.unit, x.severity) for r in reports for x in r.results}
    at_limit = {(a, v) for a, v, _, s in printed if s is not Severity.CRITICAL}
    beyond = {(a, v) for a, v, _, s in printed if s is Severity.CRITICAL}
    pairs = [
        (("potassium", "6.2"), ("potassium", "6.3")),
        (("glucose", "50"), ("glucose", "49")),
        (("sodium", "120"), ("sodium", "119")),
        (("hemoglobin", "7.0"), ("hemoglobin", "6.9")),
        (("inr", "5.0"), ("inr", "5.1")),
    ]

    found = [(a, b) for a, b in pairs if a in at_limit and b in beyond]

    assert len(found) >= 3, found


def test_every_result_is_printed_where_the_ground_truth_says(reports: list[LabReport]) -> None:
    for report in reports:
        assert all(len(line) <= MAX_LINE for page in report.pages for line in page)
        for result in report.results:
            page = "\n".join(report.pages[result.page - 1])
            assert result.evidence in page, (report.id, result.evidence)
            assert result.value_text in result.evidence
            assert result.label in result.evidence
            assert result.ref_text in result.evidence.replace(" - ", "-")
            assert (result.flag or "") in result.evidence
            assert result.severity is expected_severity(
                analyte=result.analyte,
                value=result.value,
                qualifier=result.qualifier,
                unit=result.unit,
                ref_low=result.ref_low,
                ref_high=result.ref_high,
                flag=result.flag,
                limit_loinc=result.limit_loinc,
            )


@pytest.mark.parametrize(
    ("analyte", "value", "qualifier", "unit", "ref", "flag", "expected"),
    [
        ("potassium", 6.2, None, "mmol/L", (3.5, 5.1), "H", Severity.ABNORMAL),
        ("potassium", 6.3, None, "mmol/L", (3.5, 5.1), "H", Severity.CRITICAL),
        ("potassium", 6.1, None, "mmol/L", (3.5, 5.1), "HH", Severity.CRITICAL),
        ("potassium", 6.3, None, "mEq/L", (3.5, 5.1), None, Severity.CRITICAL),
        ("glucose", 50, None, "mg/dL", (70, 99), "L", Severity.ABNORMAL),
        ("glucose", 49, None, "mg/dL", (70, 99), None, Severity.CRITICAL),
        ("glucose", 2.8, None, "mmol/L", (3.9, 5.5), None, Severity.ABNORMAL),
        ("glucose", 2.7, None, "mmol/L", (3.9, 5.5), None, Severity.CRITICAL),
        ("glucose", 600, ">", "mg/dL", (70, 99), None, Severity.CRITICAL),
        ("hemoglobin", 70, None, "g/L", (120, 160), "L", Severity.ABNORMAL),
        ("hemoglobin", 69, None, "g/L", (120, 160), "L", Severity.CRITICAL),
        ("calcium", 1.63, None, "mmol/L", (2.12, 2.62), "L", Severity.ABNORMAL),
        ("calcium", 1.62, None, "mmol/L", (2.12, 2.62), "L", Severity.CRITICAL),
        ("platelets", 5, "<", "10^9/L", (150, 400), None, Severity.CRITICAL),
        ("troponin i", 0.01, "<", "ng/mL", (0.0, 0.04), None, Severity.NORMAL),
        ("troponin i", 0.31, None, "ug/L", (0.0, 0.04), "H", Severity.CRITICAL),
        ("inr", 5.0, None, None, (0.8, 1.2), None, Severity.ABNORMAL),
        ("sodium", 140, None, "mmol/L", (136, 145), "*", Severity.ABNORMAL),
        ("sodium", 140, None, "mmol/L", (136, 145), "Critical", Severity.CRITICAL),
        ("cholesterol", 199, None, "mg/dL", (None, 200), None, Severity.NORMAL),
        ("cholesterol", 200, None, "mg/dL", (None, 200), None, Severity.ABNORMAL),
        ("hdl", 41, None, "mg/dL", (40, None), None, Severity.NORMAL),
    ],
)
def test_oracle_table(
    analyte: str,
    value: float,
    qualifier: str | None,
    unit: str | None,
    ref: tuple[float | None, float | None],
    flag: str | None,
    expected: Severity,
) -> None:
    loinc = {
        "potassium": "2823-3",
        "glucose": "2345-7",
        "hemoglobin": "718-7",
        "calcium": "17861-6",
        "platelets": "777-3",
        "troponin i": "10839-9",
        "inr": "6301-6",
        "sodium": "2951-2",
    }.get(analyte)

    severity = expected_severity(
        analyte=analyte,
        value=value,
        qualifier=qualifier,
        unit=unit,
        ref_low=ref[0],
        ref_high=ref[1],
        flag=flag,
        limit_loinc=loinc,
    )

    assert severity is expected


@pytest.mark.skipif(not SHARED_LIMITS.exists(), reason="../shared/reference is not checked out here")
def test_oracle_limits_are_the_shared_table() -> None:
    assert (DATA / "critical-values.csv").read_bytes() == SHARED_LIMITS.read_bytes()


def _words(text: str) -> list[str]:
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def test_text_pdf_holds_the_report_and_scan_holds_none(reports: list[LabReport], ocr: OcrEngine) -> None:
    report = next(r for r in reports if len(r.pages) == 2)

    text = read_pdf(to_text_pdf(report), ocr=ocr, max_pages=20)
    scan = pdfium.PdfDocument(to_scanned_pdf(report, rotate=1.0, noise=0.001))

    assert [p.source for p in text.pages] == ["text", "text"]
    assert _words(text.text) == _words(report.text)
    assert len(scan) == 2
    assert all(scan[i].get_textpage().count_chars() == 0 for i in range(len(scan)))
    assert scan[0].get_size() == (612, 792)


# Header styles 1 and 2 leak with the current detector: "Acc No: A21-313758" and "ORDERED BY: AGATHA
# QUIROGA, MD" survive SAFE_HARBOR (reported to the de-identification owners). Strict: an XPASS fails.
def _header_style(report: LabReport) -> int:
    first = report.pages[0][2]
    return 0 if first.startswith("Patient:") else 1 if first.startswith("Name:") else 2


@pytest.mark.parametrize("style", [0, 1, 2])
def test_deidentified_report_keeps_no_header_identifier(
    reports: list[LabReport], detector: PhiDetector, style: int
) -> None:
    chosen = [r for r in reports if _header_style(r) == style][:8]
    assert chosen

    leaks = []
    for report in chosen:
        released = anonymize_test(report.text, detector=detector, policy=SAFE_HARBOR).text.lower()
        leaks += [
            f"{report.id} {kind}"
            for kind, value in report.header.identifiers().items()
            if value.lower() in released
        ]

    assert leaks == []


def _number(text: str) -> str:
    return re.sub(r"^[<>]", "", text)


def _end_to_end(
    report: LabReport, data: bytes, ocr: OcrEngine, detector: PhiDetector
) -> tuple[str, list[FindingDraft]]:
    text = read_pdf(data, ocr=ocr, max_pages=20).text
    released = anonymize_test(text, detector=detector, policy=SAFE_HARBOR).text
    return released, extract_labs(released, load_critical_limits())


RENDERINGS: dict[str, Callable[[LabReport], bytes]] = {
    "text": to_text_pdf,
    "scan": lambda r: to_scanned_pdf(r, rotate=0.8, noise=0.0005),
}


@needs_parser
@pytest.mark.parametrize("rendering", list(RENDERINGS))
@pytest.mark.parametrize("index", [0, 3, 6, 9, 12, 15])
def test_pdf_to_findings_end_to_end(
    reports: list[LabReport], ocr: OcrEngine, detector: PhiDetector, rendering: str, index: int
) -> None:
    report = reports[index]

    released, drafts = _end_to_end(report, RENDERINGS[rendering](report), ocr, detector)

    quotes = [(d, released[d.start : d.end]) for d in drafts]
    for draft, quote in quotes:
        assert draft.value_text is None or _number(draft.value_text) in quote, (draft.name, quote)
        assert "\n" not in quote.strip() or report.layout == "two_column", quote
    for critical in report.criticals:
        hits = [d for d, q in quotes if d.severity is Severity.CRITICAL and _number(critical.value_text) in q]
        assert hits, (report.id, report.layout, critical.analyte, critical.value_text)
    leaked = [
        kind for kind, value in report.header.identifiers().items() if value.lower() in released.lower()
    ]
    assert leaked == []
