"""The EasyOCR engine with its real offline weights: words, boxes, lines, confidences, the registry."""

from __future__ import annotations

import easyocr  # type: ignore[import-untyped]
import numpy as np
import numpy.typing as npt
import pytest

from factories.pdfs import scanned_page
from multimed.ml.ocr import OcrEngine, build_ocr_engine
from multimed.ml.ocr.base import PSM_SINGLE_BLOCK, PSM_SINGLE_LINE, Box
from multimed.ml.ocr.easyocr_engine import EasyOcrEngine, group_lines, polygon_box, split_words
from multimed.ml.ocr.tesseract import TesseractEngine

DPI = 300
LAB = ["Sodium          139 mmol/L   (136-145)", "Creatinine      1.1 mg/dL    (0.6-1.2)"]


@pytest.fixture(scope="module")
def easy() -> OcrEngine:
    """The production EasyOCR engine (Reader load ~3-7 s, once per process through the registry)."""
    return build_ocr_engine("easyocr")


def printed_band(lines: list[str]) -> npt.NDArray[np.uint8]:
    """The printed part of a 300 dpi scanned page: a whole letter page costs EasyOCR ~35 s to detect."""
    page = np.asarray(scanned_page(lines, dpi=DPI), dtype=np.uint8)
    bottom = DPI + int(DPI / 4.5) * len(lines) + 20
    return np.ascontiguousarray(page[DPI - 30 : bottom, DPI - 30 : DPI + 1400])


def test_reads_a_scanned_lab_report_with_its_numbers(easy: OcrEngine) -> None:
    result = easy.recognize(printed_band(LAB))

    assert len(result.lines) == 2
    sodium, creatinine = (line.text for line in result.lines)
    assert sodium.startswith("Sodium")
    assert "139" in sodium.split()
    assert "(136-145)" in sodium.replace(" ", "")
    assert creatinine.startswith("Creatinine")
    assert "1.1" in creatinine.split()
    assert "mg/dL" in creatinine


def test_boxes_lie_inside_the_image_in_reading_order(easy: OcrEngine) -> None:
    image = printed_band(LAB)

    result = easy.recognize(image)

    height, width = image.shape
    for line in result.lines:
        for left, top, w, h in [line.box, *(word.box for word in line.words)]:
            assert min(left, top) >= 0
            assert min(w, h) > 0
            assert left + w <= width
            assert top + h <= height
        lefts = [word.box[0] for word in line.words]
        assert lefts == sorted(lefts)
        x, _, w, _ = line.box
        assert all(x <= word.box[0] <= word.box[0] + word.box[2] <= x + w for word in line.words)
    tops = [line.box[1] for line in result.lines]
    assert tops == sorted(tops)
    assert result.lines[0].box[1] + result.lines[0].box[3] <= result.lines[1].box[1] + 5


def test_confidences_are_percentages_and_the_engine_names_itself(easy: OcrEngine) -> None:
    result = easy.recognize(printed_band(LAB))

    assert result.words
    assert all(0 <= w.confidence <= 100 for w in result.words)
    assert all(0 <= line.confidence <= 100 for line in result.lines)
    assert max(w.confidence for w in result.words) > 90  # printed words, not guesses
    assert (result.engine, result.version) == ("easyocr", easyocr.__version__)
    assert (easy.name, easy.version) == ("easyocr", easyocr.__version__)
    assert result.seconds > 0
    assert [result.text[s:e] for s, e, _ in result.word_spans()] == [w.text for w in result.words]


def test_single_line_mode_reads_a_cropped_line_without_detection(easy: OcrEngine) -> None:
    band = printed_band(["Potassium       6.8 mmol/L   (3.5-5.1)  HH"])
    rows, cols = np.nonzero(band < 128)
    pad = 12  # margin of a third of the line height: at 8 px EasyOCR read "6 .8"
    line = np.ascontiguousarray(
        band[rows.min() - pad : rows.max() + pad, cols.min() - pad : cols.max() + pad]
    )

    result = easy.recognize(line, psm=PSM_SINGLE_LINE)

    assert [line.text for line in result.lines] == ["Potassium 6.8 mmol/L (3.5-5.1) HH"]
    assert result.lines[0].box == (0, 0, line.shape[1], line.shape[0])


def test_a_blank_image_has_no_lines(easy: OcrEngine) -> None:
    result = easy.recognize(np.full((200, 600), 255, dtype=np.uint8), psm=PSM_SINGLE_BLOCK)

    assert (result.text, result.lines) == ("", ())


@pytest.mark.parametrize("image", [np.zeros((10, 10, 3), np.uint8), np.zeros((10, 10), np.float32)])
def test_only_8_bit_gray_images_are_accepted(easy: OcrEngine, image: npt.NDArray[np.generic]) -> None:
    with pytest.raises(ValueError, match="8-bit grayscale"):
        easy.recognize(image)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("points", "expected"),
    [
        ([[10, 20], [110, 20], [110, 60], [10, 60]], (10, 20, 100, 40)),
        ([[12.4, 20.6], [109.2, 18.1], [110.5, 58.0], [11.0, 61.2]], (11, 18, 100, 44)),  # tilted
        ([[-5, -3], [50, -3], [50, 30], [-5, 30]], (0, 0, 50, 30)),  # clipped at the edge
        ([[300, 10], [320, 10], [320, 20], [300, 20]], None),  # wholly outside a 200 px wide image
    ],
)
def test_polygon_boxes(points: list[list[float]], expected: Box | None) -> None:
    assert polygon_box(points, (100, 200)) == expected


def test_a_phrase_box_is_shared_among_its_words() -> None:
    words = split_words((100, 10, 80, 20), "92 mg/dL", 70.0)

    assert [w.text for w in words] == ["92", "mg/dL"]
    assert all(w.confidence == 70.0 for w in words)
    assert words[0].box[0] == 100
    assert words[1].box[0] + words[1].box[2] == 180
    assert words[0].box[0] + words[0].box[2] <= words[1].box[0] + 2


def test_detections_group_into_lines_by_vertical_overlap() -> None:
    detections = [
        ((300, 52, 60, 30), "mmol/L", 90.0),
        ((10, 50, 120, 30), "Sodium", 99.0),
        ((10, 100, 120, 30), "Glucose", 95.0),
        ((150, 48, 50, 36), "139", 80.0),
        ((150, 104, 40, 28), "92", 60.0),
    ]

    lines = group_lines(detections)

    assert [line.text for line in lines] == ["Sodium 139 mmol/L", "Glucose 92"]
    assert lines[0].box == (10, 48, 350, 36)
    assert lines[1].confidence == pytest.approx((95.0 * 7 + 60.0 * 2) / 9)


def test_a_box_spanning_several_lines_does_not_merge_them() -> None:
    detections = [
        ((400, 10, 40, 130), "H H H", 50.0),  # a flag column read as one tilted box
        ((10, 10, 120, 30), "Sodium", 99.0),
        ((10, 60, 120, 30), "Glucose", 95.0),
        ((10, 110, 120, 30), "Calcium", 97.0),
    ]

    lines = group_lines(detections)

    assert [line.text for line in lines] == ["Sodium", "Glucose H H H", "Calcium"]


def test_registry_builds_both_engines_once(easy: OcrEngine) -> None:
    assert build_ocr_engine("easyocr") is easy
    assert isinstance(easy, EasyOcrEngine)
    assert isinstance(build_ocr_engine("tesseract"), TesseractEngine)
    assert build_ocr_engine("tesseract") is build_ocr_engine()
