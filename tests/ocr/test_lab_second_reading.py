"""EasyOCR's second reading of the words the lab reader doubts on a Tesseract line, both engines real.

The input is made so Tesseract's misreading is deterministic: a scanned lab page whose "Plt" has three of
every five pixel columns of its glyphs erased (a worn print head), which Tesseract reads as a name nothing
spells ("Lt"), also after read_pdf's page cleanup.
"""

from __future__ import annotations

import io

import numpy as np
import numpy.typing as npt
import pytest
from PIL import Image

from factories.pdfs import scanned_page
from multimed.extraction.pdf import read_pdf
from multimed.extraction.positions import locate
from multimed.findings.draft import Severity
from multimed.findings.labs import extract_labs, load_critical_limits
from multimed.findings.labs.ocr_check import LabLineCheck
from multimed.findings.labs.unidentified import UNIDENTIFIED
from multimed.ml.ocr import OcrEngine, OcrLine, build_ocr_engine
from multimed.ml.ocr.base import PSM_SINGLE_BLOCK, PSM_SINGLE_LINE
from multimed.ml.ocr.second_reading import SecondReading, crop_box, merge_words

PLT = "Plt          1011 K/uL    Critical (150-400)"
LINES = ["MCV          81 fL        (80-100)", PLT, "WBC          7.7 K/uL     (4.0-11.0)"]


@pytest.fixture(scope="module")
def tesseract() -> OcrEngine:
    return build_ocr_engine("tesseract")


@pytest.fixture(scope="module")
def check() -> LabLineCheck:
    return LabLineCheck(load_critical_limits())


@pytest.fixture(scope="module")
def second(check: LabLineCheck) -> SecondReading:
    return SecondReading(build_ocr_engine("easyocr"), check=check)


def page_with(lines: list[str]) -> npt.NDArray[np.uint8]:
    """The top of a 300 dpi scanned page holding `lines`."""
    return np.asarray(scanned_page(lines), dtype=np.uint8)[250:520, 250:1600].copy()


def worn(image: npt.NDArray[np.uint8], tesseract: OcrEngine, word: str) -> npt.NDArray[np.uint8]:
    """`image` with three of every five pixel columns of `word`'s glyphs erased."""
    found = tesseract.recognize(image, psm=PSM_SINGLE_BLOCK)
    x, y, w, h = next(w.box for w in found.words if w.text == word)
    out = image.copy()
    for shift in range(3):
        out[y : y + h, x + shift : x + w : 5] = 255
    return out


def worn_plt(tesseract: OcrEngine) -> npt.NDArray[np.uint8]:
    image = page_with(LINES)
    return worn(image, tesseract, tesseract.recognize(image, psm=PSM_SINGLE_BLOCK).lines[1].words[0].text)


def plt_line(lines: tuple[OcrLine, ...]) -> OcrLine:
    return next(line for line in lines if "1011" in line.text)


def test_the_second_reading_recovers_a_name_tesseract_misread(
    tesseract: OcrEngine, second: SecondReading
) -> None:
    image = worn_plt(tesseract)
    first = tesseract.recognize(image, psm=PSM_SINGLE_BLOCK)
    misread = plt_line(first.lines)
    [alone] = [f for f in extract_labs(first.text, load_critical_limits()) if "1011" in f.value_text]
    assert alone.name == UNIDENTIFIED  # the misreading this test is about: only held for review

    result, report = second.apply(image, first)

    fixed = plt_line(result.lines)
    assert fixed.text == "Plt 1011 K/uL Critical (150-400)"
    assert fixed.engine == f"tesseract {tesseract.version} + easyocr {second.reader.version}"
    assert fixed.words[1:] == misread.words[1:]  # only the doubted name came from the second engine
    assert (report.doubted, report.replaced) == (1, 1)
    assert [line.text for line in result.lines if line is not fixed] == [
        line.text for line in first.lines if line is not misread
    ]
    [platelets] = [f for f in extract_labs(result.text, load_critical_limits()) if "1011" in f.value_text]
    assert (platelets.name, platelets.severity, platelets.value) == ("platelets", Severity.CRITICAL, 1011)


def test_read_pdf_names_both_engines_where_the_second_read_words(
    tesseract: OcrEngine, second: SecondReading
) -> None:
    out = io.BytesIO()
    Image.fromarray(worn_plt(tesseract)).save(out, format="PDF", resolution=300)

    result = read_pdf(out.getvalue(), ocr=tesseract, second_reading=second)

    assert "Plt 1011 K/uL Critical (150-400)" in result.text.splitlines()
    assert result.ocr_engine == f"tesseract {tesseract.version} + easyocr {second.reader.version}"
    assert (result.pages[0].lines_doubted, result.pages[0].lines_reread) == (1, 1)
    plt = locate(result.positions, result.text.index("Plt"))
    mcv = locate(result.positions, result.text.index("MCV"))
    assert plt is not None
    assert mcv is not None
    assert plt.engine == result.ocr_engine
    assert mcv.engine == f"tesseract {tesseract.version}"


def test_a_second_reading_naming_an_analyte_the_unit_denies_is_not_taken(
    tesseract: OcrEngine, second: SecondReading, check: LabLineCheck
) -> None:
    """EasyOCR's real reading of a printed "Hgb" where Tesseract read no name: K/uL is no hemoglobin unit."""
    first = plt_line(tesseract.recognize(worn_plt(tesseract), psm=PSM_SINGLE_BLOCK).lines)
    doubtful = check.doubtful_words([(w.text, w.confidence) for w in first.words])
    other = page_with(["Hgb          1011 K/uL    Critical (150-400)"])
    x, y, w, h = crop_box(tesseract.recognize(other, psm=PSM_SINGLE_BLOCK).lines[0].box, other.shape)
    reread = second.reader.recognize(other[y : y + h, x : x + w].copy(), psm=PSM_SINGLE_LINE).lines[0]

    merged = merge_words(first, reread, doubtful)

    assert merged is not None
    assert merged[0].text == "Hgb"
    assert not check.consistent(first.text, " ".join(w.text for w in merged))


def test_a_name_both_engines_cannot_read_stays_unread(tesseract: OcrEngine, second: SecondReading) -> None:
    image = page_with(["MCV          81 fL        (80-100)", "Qzx          1011 K/uL    Critical (150-400)"])
    first = tesseract.recognize(image, psm=PSM_SINGLE_BLOCK)
    assert plt_line(first.lines).text.startswith("Qzx")

    result, report = second.apply(image, first)

    assert report.doubted == 1
    assert report.replaced == 0
    assert result is first
