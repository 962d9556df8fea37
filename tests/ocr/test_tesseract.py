"""The Tesseract engine on rendered text: words, boxes, confidences, threads, and the registry."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import numpy.typing as npt
import pytest
from rendered import covers, render

from multimed.ml.ocr import OcrEngine, build_ocr_engine, preprocess
from multimed.ml.ocr.base import PSM_SINGLE_LINE, PSM_SPARSE_TEXT
from multimed.ml.ocr.tesseract import TesseractEngine

LAB = ["Potassium 6.8 mmol/L", "Sodium 138 mmol/L"]


def test_reads_every_word_with_its_box(engine: OcrEngine) -> None:
    image, drawn = render(LAB)

    result = engine.recognize(image)

    assert [w.text for w in result.words] == [word for word, _ in drawn]
    for word, (text, box) in zip(result.words, drawn, strict=True):
        assert covers(word.box, box), (text, word.box, box)
    assert [line.text for line in result.lines] == LAB
    for line in result.lines:
        assert all(covers(line.box, w.box, slack=0) for w in line.words)


def test_confidences_are_percentages_and_the_engine_names_itself(engine: OcrEngine) -> None:
    image, _ = render(LAB)

    result = engine.recognize(image)

    assert all(80 <= w.confidence <= 100 for w in result.words)
    assert all(0 <= line.confidence <= 100 for line in result.lines)
    assert (result.engine, result.version) == ("tesseract", engine.version)
    assert re.fullmatch(r"\d+\.\d+\.\d+", engine.version)
    assert result.seconds > 0


def test_character_spans_of_the_text_map_to_words(engine: OcrEngine) -> None:
    image, _ = render(LAB)

    result = engine.recognize(image)

    assert result.text == "Potassium 6.8 mmol/L\nSodium 138 mmol/L"
    assert [result.text[s:e] for s, e, _ in result.word_spans()] == [w.text for w in result.words]
    start = result.text.index("6.8 mmol")
    assert [w.text for w in result.words_in(start, start + 5)] == ["6.8", "mmol/L"]


def test_light_text_on_dark_background_is_read_once_inverted(engine: OcrEngine) -> None:
    # Sauvola thresholding takes text to be darker than its surroundings: callers invert first.
    image, _ = render(["SMITH JOHN 12345"], ink=250, paper=10)

    result = engine.recognize(preprocess.light_background(image), psm=PSM_SPARSE_TEXT)

    assert result.text == "SMITH JOHN 12345"


def test_page_segmentation_mode_is_honoured(engine: OcrEngine) -> None:
    image, _ = render(["Creatinine 1.42 mg/dL"], size=(600, 90))

    result = engine.recognize(image, psm=PSM_SINGLE_LINE)

    assert len(result.lines) == 1
    assert result.lines[0].text == "Creatinine 1.42 mg/dL"


def test_blank_image_has_no_words(engine: OcrEngine) -> None:
    result = engine.recognize(np.full((200, 300), 255, dtype=np.uint8))

    assert (result.text, result.lines, result.words) == ("", (), [])


@pytest.mark.parametrize(
    "image",
    [np.zeros((50, 50, 3), dtype=np.uint8), np.zeros((50, 50), dtype=np.uint16), np.zeros(50, np.uint8)],
    ids=["rgb", "uint16", "1-d"],
)
def test_only_8_bit_grayscale_is_accepted(engine: OcrEngine, image: npt.NDArray[np.uint8]) -> None:
    with pytest.raises(ValueError, match="8-bit grayscale"):
        engine.recognize(image)


def test_boxes_map_back_from_an_enlarged_image(engine: OcrEngine) -> None:
    image, drawn = render(["MRN 12345"], size=(300, 80), font_px=14, origin=(10, 20))
    big, scale = preprocess.upscale(image)

    result = engine.recognize(big, psm=PSM_SPARSE_TEXT).unscaled(scale)

    assert scale == 3
    assert [w.text for w in result.words] == ["MRN", "12345"]
    for word, (_, box) in zip(result.words, drawn, strict=True):
        assert covers(word.box, box, slack=1), (word.box, box)
        assert max(word.box[2] - box[2], word.box[3] - box[3]) <= 4  # and no bigger than the ink


def test_two_threads_share_one_engine(engine: OcrEngine) -> None:
    first, _ = render(["Potassium 6.8 mmol/L"], size=(700, 100))
    second, _ = render(["Hemoglobin 10.9 g/dL"], size=(700, 100))
    jobs = [first, second] * 4

    with ThreadPoolExecutor(max_workers=2) as pool:
        texts = list(pool.map(lambda image: engine.recognize(image).text, jobs))

    assert texts == ["Potassium 6.8 mmol/L", "Hemoglobin 10.9 g/dL"] * 4


def test_two_engines_run_in_parallel_threads() -> None:
    image, _ = render(["Glucose 102 mg/dL"], size=(600, 100))
    engines = [TesseractEngine(), TesseractEngine(thresholding="otsu")]
    try:
        with ThreadPoolExecutor(max_workers=2) as pool:
            texts = list(pool.map(lambda e: e.recognize(image).text, engines * 3))
    finally:
        for e in engines:
            e.close()

    assert texts == ["Glucose 102 mg/dL"] * 6


def test_registry_builds_each_engine_once() -> None:
    assert build_ocr_engine() is build_ocr_engine("tesseract")
    assert isinstance(build_ocr_engine(), TesseractEngine)


@pytest.mark.parametrize("name", ["EasyOCR", "Tesseract", ""])
def test_registry_refuses_unknown_engines(name: str) -> None:
    with pytest.raises(ValueError, match="unknown OCR engine"):
        build_ocr_engine(name)


def test_unknown_thresholding_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown thresholding"):
        TesseractEngine(thresholding="niblack")
