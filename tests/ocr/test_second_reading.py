"""EasyOCR's second reading of the lines Tesseract doubted, with both engines real."""

from __future__ import annotations

import re

import numpy as np
import pypdfium2 as pdfium
import pytest

from factories.pdfs import LAB_LINES, scanned_page, scanned_pdf
from multimed.extraction.pdf import read_pdf
from multimed.extraction.positions import locate
from multimed.ml.ocr import OcrEngine, OcrLine, OcrWord, build_ocr_engine
from multimed.ml.ocr.base import PSM_SINGLE_BLOCK
from multimed.ml.ocr.second_reading import SecondReading, crop_box, numeric_shape

# A lab report sent at fax resolution (100 dpi): Tesseract, with doubt, reads "(8.5-18.5)" and
# "(4.8-11.8)" for the printed ranges; EasyOCR reads both lines right.
FAX_LINES = [
    "Magnesium          3.4 mg/dL    (1.7-2.2)     H",
    "Calcium            9.6 mg/dL    (8.5-10.5)",
    "WBC               18.8 K/uL     (4.0-11.0)    H",
    "Creatinine         1.4 mg/dL    (0.6-1.2)     H",
]
NUMBER = re.compile(r"\d+(?:\.\d+)?")


@pytest.fixture(scope="module")
def tesseract() -> OcrEngine:
    return build_ocr_engine("tesseract")


@pytest.fixture(scope="module")
def second() -> SecondReading:
    return SecondReading(build_ocr_engine("easyocr"))


def fax_page() -> tuple[bytes, np.ndarray]:
    """The fax as a PDF, and its page as read_pdf renders it (300 dpi) before cleaning."""
    fax = scanned_pdf([scanned_page(FAX_LINES, dpi=100)], dpi=100)
    page = pdfium.PdfDocument(fax)[0]
    image = page.render(scale=300 / 72, grayscale=True).to_numpy()
    return fax, np.ascontiguousarray(image[..., 0] if image.ndim == 3 else image)


def test_doubtful_lines_misread_by_tesseract_are_read_again_and_fixed(
    tesseract: OcrEngine, second: SecondReading
) -> None:
    _, image = fax_page()
    alone = tesseract.recognize(image, psm=PSM_SINGLE_BLOCK)
    assert "(8.5-10.5)" not in alone.text  # the misreading this test is about

    result, report = second.apply(image, alone)

    assert "Calcium 9.6 mg/dL (8.5-10.5)" in result.text.splitlines()
    assert "WBC 18.8 K/uL (4.0-11.0) H" in result.text.splitlines()
    assert report.replaced >= 2
    assert len(result.lines) == len(alone.lines)
    calcium = next(line for line in result.lines if line.text.startswith("Calcium"))
    assert calcium.box[1] > alone.lines[0].box[1]  # boxes back in page coordinates, below the first line


def test_a_cleaned_fax_page_needs_no_second_reading(tesseract: OcrEngine, second: SecondReading) -> None:
    """read_pdf cleans a scanned page first (ml/ocr/page_cleanup.py): the fax above then reads exactly."""
    fax, _ = fax_page()

    result = read_pdf(fax, ocr=tesseract, second_reading=second)

    assert result.text.splitlines() == [" ".join(line.split()) for line in FAX_LINES]
    assert result.pages[0].lines_reread == 0
    assert result.ocr_engine == f"tesseract {tesseract.version}"
    at = locate(result.positions, result.text.index("Calcium"))
    assert at is not None
    assert at.source == "ocr"


def test_a_confident_page_is_not_read_again(tesseract: OcrEngine, second: SecondReading) -> None:
    image = np.asarray(scanned_page(LAB_LINES), dtype=np.uint8)
    result = tesseract.recognize(image, psm=PSM_SINGLE_BLOCK)

    kept, report = SecondReading(second.reader, doubt_below=0).apply(image, result)

    assert kept is result
    assert (report.doubted, report.replaced) == (0, 0)


def test_rereading_every_line_never_changes_how_many_numbers_a_line_holds(
    tesseract: OcrEngine, second: SecondReading
) -> None:
    image = np.asarray(scanned_page(LAB_LINES, rotate=1.0), dtype=np.uint8)
    first = tesseract.recognize(image, psm=PSM_SINGLE_BLOCK)

    result, report = SecondReading(second.reader, doubt_below=101).apply(image, first)

    assert report.doubted == len(first.lines)
    assert len(result.lines) == len(first.lines)
    for before, after in zip(first.lines, result.lines, strict=True):
        assert numeric_shape(after.text) == numeric_shape(before.text)
        if after is not before:  # replaced: EasyOCR's own confidence cleared the floor
            assert after.confidence >= second.trust_from
            x, y, w, h = crop_box(before.box, image.shape)
            assert all(x <= wd.box[0] and wd.box[0] + wd.box[2] <= x + w for wd in after.words)
            assert all(y <= wd.box[1] and wd.box[1] + wd.box[3] <= y + h for wd in after.words)
    for value in ("139", "6.8", "(3.5-5.1)", "92", "1.1"):
        assert value in result.text, value


def line(text: str, confidence: float) -> OcrLine:
    return OcrLine.of(
        [OcrWord(w, confidence, (0, 0, 10, 10)) for w in text.split()],
        confidence=confidence,
        box=(0, 0, 100, 10),
    )


@pytest.mark.parametrize(
    ("first", "reread", "taken"),
    [
        (line("Potassium 6.8 mmol/L (3.5-5.1}", 70), line("Potassium 6.8 mmol/L (3.5-5.1)", 55), True),
        (line("Potassium 6.8 mmol/L", 70), line("Potassium 6 . 8 mmol/L", 99), False),  # a split number
        (line("Sodium 149.08 mmol/L", 70), line("Sodium 149.0 mmol/L", 49), False),  # below its floor
        (line("WBC 11.4 K/uL (4.0-11.0)", 70), line("WBC 11.4 K/uL", 90), False),  # a range lost
    ],
)
def test_which_readings_may_replace_a_line(
    second: SecondReading, first: OcrLine, reread: OcrLine, taken: bool
) -> None:
    assert second.better_line(first, reread) is taken


@pytest.mark.parametrize(
    ("text", "count"),
    [("Potassium 6.8 mmol/L (3.5-5.1) HH", 3), ("Potassium 6 . 8", 2), ("Chloride 99,0", 1), ("HH", 0)],
)
def test_numeric_shape(text: str, count: int) -> None:
    assert numeric_shape(text) == count


@pytest.mark.parametrize(
    ("box", "expected"),
    [
        ((100, 100, 400, 40), (94, 94, 412, 52)),
        ((0, 2, 50, 20), (0, 0, 53, 25)),
        ((980, 580, 30, 20), (977, 577, 23, 23)),
    ],
)
def test_crop_box_pads_by_line_height_and_stays_inside(
    box: tuple[int, int, int, int], expected: tuple[int, int, int, int]
) -> None:
    assert crop_box(box, (600, 1000)) == expected
