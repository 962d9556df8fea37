"""Images with known text drawn at known places (Pillow's bundled FreeType font)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
from PIL import Image, ImageDraw, ImageFont

from multimed.ml.ocr.base import Box


def render(
    lines: Sequence[str],
    *,
    size: tuple[int, int] = (900, 240),
    font_px: int = 32,
    ink: int = 0,
    paper: int = 255,
    origin: tuple[int, int] = (30, 30),
) -> tuple[npt.NDArray[np.uint8], list[tuple[str, Box]]]:
    """Draw each line's words one by one; returns the image and every word with the box of its ink."""
    image = Image.new("L", size, paper)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=font_px)
    words: list[tuple[str, Box]] = []
    x0, y = origin
    for line in lines:
        x = float(x0)
        for word in line.split():
            draw.text((x, y), word, fill=ink, font=font)
            words.append((word, _ink_box(word, (x, y), size, font)))
            x += font.getlength(word + " ")
        y += int(font_px * 1.8)
    return np.asarray(image, dtype=np.uint8), words


def _ink_box(
    word: str,
    at: tuple[float, float],
    size: tuple[int, int],
    font: ImageFont.FreeTypeFont | ImageFont.ImageFont,
) -> Box:
    mask = Image.new("L", size, 0)
    ImageDraw.Draw(mask).text(at, word, fill=255, font=font)
    rows, cols = np.nonzero(np.asarray(mask) > 96)
    return (
        int(cols.min()),
        int(rows.min()),
        int(cols.max() - cols.min() + 1),
        int(rows.max() - rows.min() + 1),
    )


def covers(outer: Box, inner: Box, slack: int = 3) -> bool:
    """Whether `outer` contains `inner`, give or take `slack` pixels on each side."""
    return (
        outer[0] <= inner[0] + slack
        and outer[1] <= inner[1] + slack
        and outer[0] + outer[2] >= inner[0] + inner[2] - slack
        and outer[1] + outer[3] >= inner[1] + inner[3] - slack
    )
