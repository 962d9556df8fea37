"""A generated scanned lab report whose critical platelet count Tesseract cannot name, read end to end with
both real engines: the production second reading (EasyOCR judged by the lab reader) names it.

The page is report 12 of benchmarks/findings_eval.py's seed 4, scanned as that benchmark scans it (the
tilt and speckling below are its random draws for that report). Tesseract reads the printed "Plt" as "BLY";
EasyOCR reads the line crop as "Plt ' 1011 K/uL ` Critical (150-400)", a stray mark where a column gap was,
which the lab reader must not take for a word between the name and the value.
"""

from __future__ import annotations

import pytest

from factories.lab_reports import LabReport, generate_reports, to_scanned_pdf
from multimed.extraction.pdf import read_pdf
from multimed.findings.draft import FindingDraft, Severity
from multimed.findings.labs import extract_labs, load_critical_limits
from multimed.findings.labs.ocr_check import LabLineCheck
from multimed.findings.labs.unidentified import UNIDENTIFIED
from multimed.ml.ocr import OcrEngine, build_ocr_engine
from multimed.ml.ocr.second_reading import SecondReading

# benchmarks/findings_eval.py --seed 4: random.Random(4) draws uniform(-1.5, 1.5) and a noise choice per
# report in order; these are report 12's.
ROTATE = 0.3809268072393903
NOISE = 0.0005


@pytest.fixture(scope="module")
def report() -> LabReport:
    report = generate_reports(40, 4)[12]
    assert [r.value for r in report.criticals if r.analyte.lower().startswith("platelet")] == [1011]
    return report


@pytest.fixture(scope="module")
def scan(report: LabReport) -> bytes:
    return to_scanned_pdf(report, rotate=ROTATE, noise=NOISE)


@pytest.fixture(scope="module")
def tesseract() -> OcrEngine:
    return build_ocr_engine("tesseract")


def the_1011(findings: list[FindingDraft]) -> FindingDraft:
    [finding] = [f for f in findings if f.value_text == "1011"]
    return finding


def test_tesseract_alone_only_holds_it_for_review(scan: bytes, tesseract: OcrEngine) -> None:
    text = read_pdf(scan, ocr=tesseract).text

    finding = the_1011(extract_labs(text, load_critical_limits()))

    assert (finding.name, finding.severity) == (UNIDENTIFIED, Severity.CRITICAL)


def test_the_second_reading_names_the_critical_platelets(scan: bytes, tesseract: OcrEngine) -> None:
    second = SecondReading(build_ocr_engine("easyocr"), check=LabLineCheck())

    result = read_pdf(scan, ocr=tesseract, second_reading=second)

    finding = the_1011(extract_labs(result.text, load_critical_limits()))
    assert (finding.name, finding.severity, finding.value) == ("platelets", Severity.CRITICAL, 1011)
    assert result.text[finding.start : finding.end] == "Plt ' 1011 K/uL Critical (150-400)"
    assert (result.pages[0].lines_doubted, result.pages[0].lines_reread) == (1, 1)
