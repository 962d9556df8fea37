"""PDF reading: text layers, scans (tilted, noisy), mixed documents, refusals."""

from __future__ import annotations

import uuid

import httpx
import pytest
from pydantic import ValidationError

from factories.files import pdf_bytes
from factories.pdfs import LAB_LINES, encrypted_pdf, javascript_pdf, mixed_pdf, scanned_page, scanned_pdf
from factories.uploads import upload
from factories.users import make_org
from multimed.core.settings import Settings
from multimed.extraction.errors import PdfCorrupt, PdfEncrypted, PdfHasJavaScript, PdfTooManyPages
from multimed.extraction.pdf import DEFAULT_MAX_PAGES, read_pdf
from multimed.extraction.positions import locate
from multimed.ml.ocr.base import OcrEngine
from multimed.ml.ocr.registry import build_ocr_engine
from multimed.pipelines.extract_pdf import extract_pdf
from multimed.runtime import Runtime


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


def tiny_pages(count: int) -> bytes:
    return scanned_pdf([scanned_page(["a"], dpi=30)] * count, dpi=30)


def test_page_limit(ocr: OcrEngine) -> None:
    with pytest.raises(PdfTooManyPages) as refused:
        read_pdf(tiny_pages(3), ocr=ocr, max_pages=2)

    assert refused.value.code == "pdf_too_many_pages"
    assert str(refused.value) == "the PDF has more than 2 pages"
    assert [p.number for p in read_pdf(tiny_pages(2), ocr=ocr, max_pages=2).pages] == [1, 2]


def test_page_limit_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    assert Settings().pdf_max_pages == DEFAULT_MAX_PAGES == 200
    monkeypatch.setenv("MULTIMED_PDF_MAX_PAGES", "3")
    assert Settings().pdf_max_pages == 3
    monkeypatch.setenv("MULTIMED_PDF_MAX_PAGES", "0")
    with pytest.raises(ValidationError, match="pdf_max_pages"):
        Settings()


async def test_the_pdf_stage_refuses_a_pdf_over_the_configured_limit(
    client: httpx.AsyncClient, runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    org = await make_org(runtime)
    uploaded = await upload(client, org, "P-LIMIT-1", "long.pdf", tiny_pages(3))
    monkeypatch.setattr(runtime.settings, "pdf_max_pages", 2)

    with pytest.raises(PdfTooManyPages, match="more than 2 pages"):
        await extract_pdf(runtime, file_id=uuid.UUID(uploaded["file_id"]), organization_id=org.id)
