"""Choosing the OCR engine by name (from settings); each is built once per process."""

from __future__ import annotations

import functools
import threading

import numpy as np
import numpy.typing as npt

from multimed.ml.ocr.base import OcrEngine, OcrResult

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
    raise unknown(name)


def unknown(name: str) -> ValueError:
    return ValueError(f"unknown OCR engine {name!r}; known: {', '.join(repr(k) for k in KNOWN)}")


def build_ocr_engine(name: str = "tesseract") -> OcrEngine:
    """The named engine, loaded on first request and shared by every later caller."""
    with _LOCK:
        return _build(name)


class LoadedOnFirstRead(OcrEngine):
    """The named engine, built by its first `recognize` (then shared like `build_ocr_engine`'s).

    For an engine a job may not need: a second reading is wired into every PDF job, but only scanned pages
    are read by OCR, and EasyOCR brings torch (3-4 s, ~1 GB) into a worker whose PDFs all carry text.
    `version` is the engine's once it has read.
    """

    def __init__(self, name: str) -> None:
        if name not in KNOWN:
            raise unknown(name)
        self.name = name
        self.version = "not loaded"

    def recognize(self, image: npt.NDArray[np.uint8], *, psm: int | None = None) -> OcrResult:
        engine = build_ocr_engine(self.name)
        self.version = engine.version
        return engine.recognize(image, psm=psm)
