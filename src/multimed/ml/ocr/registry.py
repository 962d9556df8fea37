"""Choosing the OCR engine by name (from settings); each is built once per process."""

from __future__ import annotations

import functools
import threading

from multimed.ml.ocr.base import OcrEngine

_LOCK = threading.Lock()
KNOWN = ("tesseract", "easyocr")


@functools.cache
def _build(name: str) -> OcrEngine:
    # Imported on demand: EasyOCR pulls in torch (3-4 s, ~1 GB), which a Tesseract-only worker never needs.
    if name == "tesseract":
        from multimed.ml.ocr.tesseract import TesseractEngine

        return TesseractEngine()
    if name == "easyocr":
        from multimed.ml.ocr.easyocr_engine import EasyOcrEngine

        return EasyOcrEngine()
    raise ValueError(f"unknown OCR engine {name!r}; known: {', '.join(repr(k) for k in KNOWN)}")


def build_ocr_engine(name: str = "tesseract") -> OcrEngine:
    """The named engine, loaded on first request and shared by every later caller."""
    with _LOCK:
        return _build(name)
