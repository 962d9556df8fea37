"""Real engines for pixel cleaning, each built once for the session."""

from __future__ import annotations

import importlib.util
import os
import warnings

import pytest

from multimed.ml.ocr import OcrEngine, build_ocr_engine
from multimed.ml.phi.base import PhiDetector

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


@pytest.fixture(scope="session")
def ocr() -> OcrEngine:
    """The production OCR engine from the registry."""
    return build_ocr_engine("tesseract")


@pytest.fixture(scope="session")
def detector() -> PhiDetector:
    """The production PHI detector (spaCy loads in seconds, so only the test that needs it pays)."""
    if importlib.util.find_spec("multimed.ml.phi.registry") is None:
        pytest.skip("multimed.ml.phi.registry is not in this build")
    with warnings.catch_warnings():
        # spaCy/thinc and presidio import-time deprecations are theirs, not ours.
        warnings.filterwarnings(
            "ignore", category=DeprecationWarning, module=r"(spacy|thinc|presidio_analyzer)\b.*"
        )
        from multimed.ml.phi.registry import build_phi_detector

        return build_phi_detector("presidio")
