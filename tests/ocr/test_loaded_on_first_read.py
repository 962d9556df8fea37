"""An engine wired in but built only when it first reads: same reading, its version known from then on."""

from __future__ import annotations

import numpy as np
import pytest

from factories.pdfs import scanned_page
from multimed.ml.ocr.registry import LoadedOnFirstRead, build_ocr_engine


def test_reads_as_the_engine_itself_once_built() -> None:
    image = np.asarray(scanned_page(["Potassium 6.8 mmol/L"]).convert("L"))
    lazy = LoadedOnFirstRead("tesseract")
    assert (lazy.name, lazy.version) == ("tesseract", "not loaded")
    engine = build_ocr_engine("tesseract")
    assert lazy.recognize(image).text == engine.recognize(image).text
    assert lazy.version == engine.version


def test_an_unknown_engine_is_refused_at_once() -> None:
    with pytest.raises(ValueError, match="unknown OCR engine"):
        LoadedOnFirstRead("ocrmypdf")
