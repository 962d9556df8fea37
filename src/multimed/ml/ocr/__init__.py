"""Optical character recognition engines behind one interface, and the image preparation they need."""

from multimed.ml.ocr.base import Box, OcrEngine, OcrLine, OcrResult, OcrWord
from multimed.ml.ocr.registry import build_ocr_engine

__all__ = ["Box", "OcrEngine", "OcrLine", "OcrResult", "OcrWord", "build_ocr_engine"]
