"""The real Tesseract engine, built once for the session (loading eng.traineddata takes ~0.2 s)."""

from __future__ import annotations

import pytest

from multimed.ml.ocr import OcrEngine, build_ocr_engine


@pytest.fixture(scope="session")
def engine() -> OcrEngine:
    """The production engine from the registry."""
    return build_ocr_engine("tesseract")
