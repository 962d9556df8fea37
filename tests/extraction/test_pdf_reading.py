"""PDF reading: text layers, scans (tilted, noisy), mixed documents, refusals."""

from __future__ import annotations

import pytest

from factories.files import pdf_bytes
from factories.pdfs import LAB_LINES, encrypted_pdf, javascript_pdf, mixed_pdf, scanned_page, scanned_pdf
from multimed.extraction.errors import PdfCorrupt, PdfEncrypted, PdfHasJavaScript, PdfTooManyPages
from multimed.extraction.pdf import read_pdf
from multimed.extraction.positions import locate
from multimed.ml.ocr.base import OcrEngine
from multimed.ml.ocr.registry import build_ocr_engine


@pytest.fixture(scope="module")
def ocr() -> OcrEngine:
    return build_ocr_engine()


def test_text_layer_page_with_positions(ocr: OcrEngine) -> None:
    result = read_pdf(pdf_bytes("Potassium 6.8 mmol/L H"), ocr=ocr)

    assert result.text == "Potassium 6.8 mmol/L H"
    assert [p.source for p in result.pages] == ["text"]
    position = locate(result.positions, result.text.index("6.8"))
    assert position is not None
    assert position.page == 1
    assert position.box is not None
    left, top, right, bottom = position.box
    assert 70 < left < 80
    assert 60 < top < 75
    assert right > left
    assert bottom > top


@pytest.mark.parametrize(("rotate", "noise"), [(0.0, 0.0), (1.5, 0.0), (-2.0, 0.002)])
def test_scanned_lab_report_is_read_exactly(ocr: OcrEngine, rotate: float, noise: float) -> None:
    data = scanned_pdf([scanned_page(LAB_LINES, rotate=rotate, noise=noise)])

    result = read_pdf(data, ocr=ocr)

    assert [p.source for p in result.pages] == ["ocr"]
    assert result.ocr_engine is not None
    assert result.ocr_engine.startswith("tesseract")
    for value in ("139", "6.8", "92", "1.1", "(3.5-5.1)", "HH", "Potassium", "Creatinine"):
        assert value in result.text, value
    line = locate(result.positions, result.text.index("Potassium"))
    assert line is not None
    assert line.source == "ocr"
    assert line.page == 1
    assert line.confidence


def test_mixed_document_page_by_page(ocr: OcrEngine) -> None:
    data = mixed_pdf("Sodium 139 mmol/L on the first page", scanned_page(["Glucose 92 mg/dL on page two"]))

    result = read_pdf(data, ocr=ocr)

    assert [p.source for p in result.pages] == ["text", "ocr"]
    second = locate(result.positions, result.text.index("Glucose"))
    assert second is not None
    assert second.page == 2


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (pdf_bytes()[: len(pdf_bytes()) // 3], PdfCorrupt),
        (b"%PDF-1.7\n" + b"\x00garbage" * 50, PdfCorrupt),
        (encrypted_pdf(), PdfEncrypted),
        (javascript_pdf(), PdfHasJavaScript),
    ],
)
def test_unreadable_pdfs_get_typed_errors(ocr: OcrEngine, data: bytes, error: type[Exception]) -> None:
    with pytest.raises(error):
        read_pdf(data, ocr=ocr)


def test_page_limit(ocr: OcrEngine) -> None:
    with pytest.raises(PdfTooManyPages):
        read_pdf(scanned_pdf([scanned_page(["a"], dpi=30)] * 3, dpi=30), ocr=ocr, max_pages=2)
