"""Turning any numpy image into what OCR reads best: 8-bit gray, contrast-stretched, large enough."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from PIL import Image

Gray8 = npt.NDArray[np.uint8]
Floats = npt.NDArray[np.float64]

# Tesseract reads glyphs best around 20-40 px high; burned-in annotations on a 256-512 px image are 6-15 px.
MIN_SIDE = 600
MAX_FACTOR = 3
_BT601 = np.array([0.299, 0.587, 0.114])


@dataclass(frozen=True)
class Prepared:
    """An image ready for OCR and the factor it was enlarged by (divide OCR boxes by it)."""

    image: Gray8
    scale: int


def to_gray(image: npt.NDArray[np.generic]) -> Floats:
    """(H, W) values as float64; colour (H, W, 3|4) becomes luminance (ITU-R BT.601), alpha is dropped."""
    values = np.asarray(image)
    if values.ndim == 3 and values.shape[2] == 1:
        values = values[:, :, 0]
    if values.ndim == 3 and values.shape[2] in (3, 4):
        return np.asarray(values[:, :, :3].astype(np.float64) @ _BT601, dtype=np.float64)
    if values.ndim != 2:
        raise ValueError(f"expected a (H, W) or (H, W, 3|4) image, got shape {values.shape}")
    return values.astype(np.float64)


def stretch(values: Floats, low: float, high: float) -> Gray8:
    """Map [low, high] linearly onto 0-255, clipping outside it; a flat image becomes black."""
    if not high > low:
        return np.where(values > low, 255, 0).astype(np.uint8)
    scaled = (values - low) * (255.0 / (high - low))
    out: Gray8 = np.clip(np.rint(scaled), 0, 255).astype(np.uint8)
    return out


def normalize(values: Floats, *, percentiles: tuple[float, float] | None = (1.0, 99.0)) -> Gray8:
    """Contrast-stretch between two percentiles (robust to a few extreme pixels), or min-max when None."""
    if values.size == 0:
        return np.zeros(values.shape, dtype=np.uint8)
    if percentiles is None:
        low, high = float(values.min()), float(values.max())
    else:
        low, high = (float(v) for v in np.percentile(values, percentiles))
        if not high > low:  # mostly flat: fall back so rare bright text is not lost
            low, high = float(values.min()), float(values.max())
    return stretch(values, low, high)


def window(values: Floats, *, center: float, width: float) -> Gray8:
    """DICOM linear VOI windowing (PS3.3 C.11.2.1.2) to 0-255."""
    width = max(width, 1.0)
    low = center - 0.5 - (width - 1) / 2
    return stretch(values, low, low + width - 1)


def to_uint8(
    image: npt.NDArray[np.generic],
    *,
    window_cw: tuple[float, float] | None = None,
    percentiles: tuple[float, float] | None = (1.0, 99.0),
) -> Gray8:
    """8-bit gray from any dtype or colour; 8-bit input keeps its values unless a window is given."""
    if image.dtype == np.uint8 and window_cw is None:
        gray = to_gray(image)
        return gray.astype(np.uint8) if image.ndim == 2 else np.rint(gray).astype(np.uint8)
    values = to_gray(image)
    if window_cw is not None:
        return window(values, center=window_cw[0], width=window_cw[1])
    return normalize(values, percentiles=percentiles)


def invert(image: Gray8) -> Gray8:
    return np.asarray(255 - image, dtype=np.uint8)


def light_background(image: Gray8) -> Gray8:
    """Invert a mostly dark image so text reads dark-on-light, the polarity Tesseract is trained on."""
    return invert(image) if image.size and float(np.median(image)) < 128 else image


def upscale(image: Gray8, *, min_side: int = MIN_SIDE, max_factor: int = MAX_FACTOR) -> tuple[Gray8, int]:
    """Enlarge by a whole factor (Lanczos) until the shorter side reaches `min_side`; returns the factor."""
    short = min(image.shape[:2]) if image.size else 0
    if short == 0 or short >= min_side:
        return image, 1
    factor = min(max_factor, math.ceil(min_side / short))
    if factor <= 1:
        return image, 1
    height, width = image.shape[:2]
    big = Image.fromarray(image).resize((width * factor, height * factor), Image.Resampling.LANCZOS)
    return np.asarray(big, dtype=np.uint8), factor


def otsu_threshold(image: Gray8) -> int:
    """The gray level that best separates two classes of pixels (Otsu 1979)."""
    counts = np.bincount(image.ravel(), minlength=256).astype(np.float64)
    levels = np.arange(256, dtype=np.float64)
    weight0 = np.cumsum(counts)
    weight1 = counts.sum() - weight0
    mass0 = np.cumsum(counts * levels)
    with np.errstate(divide="ignore", invalid="ignore"):
        between = weight0 * weight1 * (mass0 / weight0 - (mass0[-1] - mass0) / weight1) ** 2
    return int(np.argmax(np.nan_to_num(between, nan=-1.0)))


def binarize(image: Gray8) -> Gray8:
    """Black and white at the Otsu threshold."""
    return np.where(image > otsu_threshold(image), 255, 0).astype(np.uint8)


def prepare(
    image: npt.NDArray[np.generic],
    *,
    window_cw: tuple[float, float] | None = None,
    percentiles: tuple[float, float] | None = (1.0, 99.0),
    invert_dark: bool = True,
    otsu: bool = False,
    min_side: int = MIN_SIDE,
) -> Prepared:
    """The usual chain: 8-bit gray, dark-on-light, enlarged when small, optionally binarised."""
    gray = to_uint8(image, window_cw=window_cw, percentiles=percentiles)
    if invert_dark:
        gray = light_background(gray)
    gray, scale = upscale(gray, min_side=min_side)
    return Prepared(binarize(gray) if otsu else gray, scale)
