"""Choosing the OCR engine by name (from settings); each is built once per process."""

from __future__ import annotations

import functools
import threading

from multimed.ml.ocr.base import OcrEngine

_LOCK = threading.Lock()
KNOWN = ("tesseract",)


@functools.cache
def _build(name: str) -> OcrEngine:
    if name == "tesseract":
        from multimed.ml.ocr.tesseract import TesseractEngine

        return TesseractEngine()
    raise ValueError(f"unknown OCR engine {name!r}; known: {', '.join(repr(k) for k in KNOWN)}")


def build_ocr_engine(name: str = "tesseract") -> OcrEngine:
    """The named engine, loaded on first request and shared by every later caller."""
    with _LOCK:
        return _build(name)
