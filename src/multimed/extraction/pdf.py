"""PDF pages to text with positions: the text layer where it holds real text, else OCR of a render."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
import pypdfium2 as pdfium

from multimed.extraction.errors import PdfCorrupt, PdfEncrypted, PdfHasJavaScript, PdfTooManyPages
from multimed.extraction.positions import Position
from multimed.ml.ocr.base import PSM_SINGLE_BLOCK, OcrEngine
from multimed.ml.ocr.page_cleanup import clean_page
from multimed.ml.ocr.second_reading import SecondReading, SecondReadingReport

RENDER_DPI = 300
POINTS_PER_INCH = 72
PAGE_SEPARATOR = "\n\n"
# A text layer with fewer real characters than this is a scan with a stray label, not a text page.
MIN_TEXT_CHARS = 10
# The default page limit; the service passes MULTIMED_PDF_MAX_PAGES.
DEFAULT_MAX_PAGES = 200


@dataclass(frozen=True)
class PageInfo:
    number: int
    source: str  # "text" or "ocr"
    chars: int
    confidence: float | None
    lines_reread: int = 0  # OCR lines whose text a second engine's reading replaced (in whole or in part)
    lines_doubted: int = 0  # OCR lines the second engine read again
    second_reading_seconds: float = 0.0


@dataclass
class PdfText:
    text: str
    positions: list[Position]
    pages: list[PageInfo]
    engine: str
    seconds: float
    ocr_engine: str | None = None
    meta: dict[str, object] = field(default_factory=dict)


def _open(data: bytes, max_pages: int) -> pdfium.PdfDocument:
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise PdfEncrypted() from exc
        raise PdfCorrupt() from exc
    if pdfium.raw.FPDFDoc_GetJavaScriptActionCount(pdf.raw) > 0:
        pdf.close()
        raise PdfHasJavaScript()
    if len(pdf) > max_pages:
        pdf.close()
        raise PdfTooManyPages(max_pages)
    return pdf


def _real_chars(text: str) -> int:
    return sum(ch.isalnum() for ch in text)


def _text_layer(page: pdfium.PdfPage, number: int, offset: int) -> tuple[str, list[Position]]:
    textpage = page.get_textpage()
    try:
        text = textpage.get_text_range()
        height = page.get_size()[1]
        positions: list[Position] = []
        line_start = 0
        for line_no, line in enumerate(text.split("\n"), start=1):
            end = line_start + len(line)
            boxes = [
                textpage.get_charbox(i)
                for i in range(line_start, min(end, textpage.count_chars()))
                if not text[i].isspace()
            ]
            if boxes:
                left = min(b[0] for b in boxes)
                right = max(b[2] for b in boxes)
                top = height - max(b[3] for b in boxes)
                bottom = height - min(b[1] for b in boxes)
                positions.append(
                    Position(
                        offset + line_start,
                        offset + end,
                        number,
                        line_no,
                        (round(left, 1), round(top, 1), round(right, 1), round(bottom, 1)),
                    )
                )
            line_start = end + 1
        return text.replace("\r", ""), positions
    finally:
        textpage.close()


def _ocr_page(
    page: pdfium.PdfPage, number: int, offset: int, ocr: OcrEngine, second: SecondReading | None
) -> tuple[str, list[Position], float, SecondReadingReport | None]:
    scale = RENDER_DPI / POINTS_PER_INCH
    bitmap = page.render(scale=scale, grayscale=True)
    image = bitmap.to_numpy()
    if image.ndim == 3:
        image = image[..., 0]
    # Specks and dot leaders are read as letters; see ml/ocr/page_cleanup.py for what each step gained.
    rendered = np.ascontiguousarray(image)
    image, _ = clean_page(rendered)
    # One uniform block: on tabular lab pages automatic layout analysis splits the columns apart and
    # drops decimal points (benchmarks/extract.py: CER 47% with PSM 3, 0% with PSM 6, and faster).
    result = ocr.recognize(image, psm=PSM_SINGLE_BLOCK)
    report = None
    if second is not None:
        # The second engine reads the page as rendered: the cleanup is tuned for Tesseract, and a stroke the
        # despeckling thinned away is still there for EasyOCR (cleanup keeps every pixel where it was).
        result, report = second.apply(rendered, result)
    positions: list[Position] = []
    cursor = 0
    for line_no, line in enumerate(result.lines, start=1):
        start = result.text.find(line.text, cursor)
        if start < 0:
            continue
        cursor = start + len(line.text)
        left, top, width, height = line.box
        box = tuple(round(v / scale, 1) for v in (left, top, left + width, top + height))
        positions.append(
            Position(
                offset + start,
                offset + cursor,
                number,
                line_no,
                box,  # type: ignore[arg-type]
                source="ocr",
                confidence=round(line.confidence, 1),
                engine=line.engine or f"{result.engine} {result.version}",
            )
        )
    confidence = sum(line.confidence for line in result.lines) / len(result.lines) if result.lines else None
    return result.text, positions, confidence or 0.0, report


def read_pdf(
    data: bytes,
    *,
    ocr: OcrEngine,
    max_pages: int = DEFAULT_MAX_PAGES,
    second_reading: SecondReading | None = None,
) -> PdfText:
    """Text and positions of every page; mixed documents are handled page by page.

    Over `max_pages` pages is refused before any page is read. `second_reading` re-reads the OCR lines
    `ocr` doubted with another engine (see ml/ocr/second_reading.py).
    """
    started = time.perf_counter()
    pdf = _open(data, max_pages)
    parts: list[str] = []
    positions: list[Position] = []
    pages: list[PageInfo] = []
    offset = 0
    try:
        for index in range(len(pdf)):
            page = pdf[index]
            try:
                text, found = _text_layer(page, index + 1, offset)
                if _real_chars(text) >= MIN_TEXT_CHARS:
                    pages.append(PageInfo(index + 1, "text", len(text), None))
                else:
                    text, found, confidence, report = _ocr_page(page, index + 1, offset, ocr, second_reading)
                    pages.append(
                        PageInfo(
                            index + 1,
                            "ocr",
                            len(text),
                            round(confidence, 1),
                            report.replaced if report else 0,
                            report.doubted if report else 0,
                            round(report.seconds, 3) if report else 0.0,
                        )
                    )
            finally:
                page.close()
            parts.append(text)
            positions.extend(found)
            offset += len(text) + len(PAGE_SEPARATOR)
    except pdfium.PdfiumError as exc:
        raise PdfCorrupt() from exc
    finally:
        pdf.close()
    used_ocr = any(p.source == "ocr" for p in pages)
    ocr_engine = f"{ocr.name} {ocr.version}" if used_ocr else None
    if second_reading is not None and any(p.lines_reread for p in pages):
        ocr_engine = f"{ocr_engine} + {second_reading.reader.name} {second_reading.reader.version}"
    return PdfText(
        PAGE_SEPARATOR.join(parts),
        positions,
        pages,
        f"pdfium {pdfium.version.PDFIUM_INFO}",
        round(time.perf_counter() - started, 3),
        ocr_engine=ocr_engine,
    )
