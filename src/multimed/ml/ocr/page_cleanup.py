"""Cleaning a scanned text page before OCR: specks and dot leaders, two marks Tesseract reads as letters.

A scanned report carries isolated specks (dust, toner, a noisy scanner) and dot leaders ("Sodium .... 139").
Tesseract reads both as text: a speck near a glyph turns "CO2" into "€02", and a leader becomes words such
as "ccvvvnn" or "sammmrs" between a name and its value, so the value is no longer next to its name.

- Specks: a 3x3 median filter removes isolated dark pixels and fills isolated light ones; strokes of 10-12
  pt text at 300 dpi are 4+ pixels wide and keep their shape.
- Leaders: connected components the size of a period, four or more in a row at the same height and a
  glyph's width apart or less. A decimal point has digits, not dots, beside it; an ellipsis has three.
- Dotted zeros: many printer fonts (DejaVu Sans Mono, Consolas' dotted variant) mark the zero with a dot
  inside it, which Tesseract read as "06", "6" or "8" ("1.10" -> "1.106", "0.02" -> "0.62"). A
  period-sized dot that one glyph surrounds on all four sides is erased; an i's dot, a decimal point or a
  colon has no glyph around it. A plain zero may then read as the letter O, which numbers.py takes as 0.

Measured on the generated scans of tests/factories/lab_reports (benchmarks/findings_eval.py).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from PIL import Image, ImageFilter
from scipy import ndimage  # type: ignore[import-untyped]

from multimed.ml.ocr.preprocess import otsu_threshold

Gray8 = npt.NDArray[np.uint8]

# A dot is at most this share of the page's typical glyph height, on both sides.
DOT_SHARE = 0.3
# Dots of one leader: centres within this share of a glyph height vertically, gaps up to this many heights.
SAME_ROW_SHARE = 0.2
MAX_GAP_HEIGHTS = 1.2
MIN_LEADER_DOTS = 4
RIM = 2  # pixels around a dot's box painted with it
_EIGHT_CONNECTED = np.ones((3, 3), dtype=bool)


@dataclass(frozen=True)
class Cleanup:
    """What cleaning one page did: counts only."""

    leader_dots: int
    zero_dots: int


def despeckle(image: Gray8) -> Gray8:
    """A 3x3 median filter."""
    return np.asarray(Image.fromarray(image).filter(ImageFilter.MedianFilter(3)), dtype=np.uint8)


@dataclass(frozen=True)
class _Marks:
    """The ink components of a page, and which of them are the size and shape of a period."""

    labels: npt.NDArray[np.int32]
    boxes: list[tuple[slice, slice]]
    dots: npt.NDArray[np.intp]
    glyph_height: float


def _marks(image: Gray8) -> _Marks | None:
    ink = image <= otsu_threshold(image)
    labels, count = ndimage.label(ink, structure=_EIGHT_CONNECTED)
    if count == 0:
        return None
    boxes = ndimage.find_objects(labels)
    heights = np.array([b[0].stop - b[0].start for b in boxes])
    widths = np.array([b[1].stop - b[1].start for b in boxes])
    glyphs = heights[heights >= 8]
    if glyphs.size < 10:
        return None
    glyph_height = float(np.median(glyphs))
    dot_max = max(2.0, DOT_SHARE * glyph_height)
    is_dot = (heights >= 2) & (widths >= 2) & (heights <= dot_max) & (widths <= dot_max)
    is_dot &= (heights <= 2 * widths) & (widths <= 2 * heights)
    return _Marks(labels, boxes, np.flatnonzero(is_dot), glyph_height)


def _paint(image: Gray8, box: tuple[slice, slice], rim: int) -> None:
    rows, cols = box
    image[max(0, rows.start - rim) : rows.stop + rim, max(0, cols.start - rim) : cols.stop + rim] = 255


def erase_leaders(image: Gray8, marks: _Marks | None = None) -> tuple[Gray8, int]:
    """The page with dot leaders painted white, and how many dots were erased."""
    marks = marks or _marks(image)
    if marks is None or marks.dots.size < MIN_LEADER_DOTS:
        return image, 0
    boxes, dots = marks.boxes, marks.dots
    centre_y = np.array([(boxes[i][0].start + boxes[i][0].stop) / 2 for i in dots])
    centre_x = np.array([(boxes[i][1].start + boxes[i][1].stop) / 2 for i in dots])
    leaders = _leader_dots(centre_y, centre_x, marks.glyph_height)
    if not leaders:
        return image, 0
    cleaned = image.copy()
    for index in dots[leaders]:
        # The box and its anti-aliased rim: a leader dot stands alone, nothing else is that close.
        _paint(cleaned, boxes[index], RIM)
    return cleaned, len(leaders)


def erase_enclosed_dots(image: Gray8, marks: _Marks | None = None) -> tuple[Gray8, int]:
    """The page with every period-sized dot that one glyph surrounds painted white: the dot of a dotted
    zero, which Tesseract reads as "06", "6" or "8" ("1.10" -> "1.106", "0.02" -> "0.62")."""
    marks = marks or _marks(image)
    if marks is None:
        return image, 0
    labels, reach = marks.labels, int(marks.glyph_height)
    cleaned, erased = image, 0
    for index in marks.dots:
        rows, cols = marks.boxes[index]
        y, x = (rows.start + rows.stop) // 2, (cols.start + cols.stop) // 2
        rays = (
            labels[y, max(0, cols.start - reach) : cols.start][::-1],
            labels[y, cols.stop : cols.stop + reach],
            labels[max(0, rows.start - reach) : rows.start, x][::-1],
            labels[rows.stop : rows.stop + reach, x],
        )
        hits = {int(ray[np.flatnonzero(ray)[0]]) if np.any(ray) else 0 for ray in rays}
        if len(hits) == 1 and 0 not in hits:
            if erased == 0:
                cleaned = image.copy()
            _paint(cleaned, marks.boxes[index], 1)
            erased += 1
    return cleaned, erased


def _leader_dots(
    centre_y: npt.NDArray[np.float64], centre_x: npt.NDArray[np.float64], height: float
) -> list[int]:
    """Indices of the dots in chains of MIN_LEADER_DOTS or more: each dot linked to the nearest dot to its
    right at about its height (local steps, so a tilted page's leader still chains)."""
    dx = centre_x[None, :] - centre_x[:, None]
    dy = np.abs(centre_y[None, :] - centre_y[:, None])
    near = (dx > 0) & (dx <= MAX_GAP_HEIGHTS * height) & (dy <= SAME_ROW_SHARE * height)
    parent = list(range(len(centre_x)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for left in np.flatnonzero(near.any(axis=1)):
        right = int(np.argmin(np.where(near[left], dx[left], np.inf)))
        parent[root(int(left))] = root(right)
    roots = [root(i) for i in range(len(parent))]
    sizes: dict[int, int] = {}
    for r in roots:
        sizes[r] = sizes.get(r, 0) + 1
    return [i for i, r in enumerate(roots) if sizes[r] >= MIN_LEADER_DOTS]


def clean_page(image: Gray8) -> tuple[Gray8, Cleanup]:
    """Specks removed, then dot leaders and the dots of dotted zeros erased: what `extraction.pdf` gives
    Tesseract for a scanned page."""
    despeckled = despeckle(image)
    marks = _marks(despeckled)
    cleaned, leader_dots = erase_leaders(despeckled, marks)
    cleaned, zero_dots = erase_enclosed_dots(cleaned, marks)
    return cleaned, Cleanup(leader_dots, zero_dots)
