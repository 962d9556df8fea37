"""Where each stretch of extracted text came from (page and box, or seconds), through de-identification."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass

from multimed.deid.text import DeidentifiedText


@dataclass(frozen=True)
class Position:
    """[start, end) in the text → page (1-based), line on the page, box in PDF points (x0, y0, x1, y1 from the
    top-left), or a time range in seconds for audio. `engine` names the OCR engine(s) that read an OCR line
    ("tesseract 5.5.4", or "tesseract 5.5.4 + easyocr 1.7.2" where a second reading gave some of its
    words)."""

    start: int
    end: int
    page: int | None = None
    line: int | None = None
    box: tuple[float, float, float, float] | None = None
    start_seconds: float | None = None
    end_seconds: float | None = None
    source: str = "text"
    confidence: float | None = None
    engine: str | None = None

    def to_json(self) -> dict[str, object]:
        return {k: v for k, v in asdict(self).items() if v is not None}


def remap(positions: Sequence[Position], deid: DeidentifiedText) -> list[Position]:
    """The same positions expressed in offsets of the de-identified text."""
    out = []
    for p in positions:
        start, end = deid.to_deidentified(p.start), deid.to_deidentified(p.end)
        out.append(
            Position(
                start,
                max(start, end),
                p.page,
                p.line,
                p.box,
                p.start_seconds,
                p.end_seconds,
                p.source,
                p.confidence,
                p.engine,
            )
        )
    return out


def locate(positions: Sequence[Position], offset: int) -> Position | None:
    """The position covering an offset (citations use it to name page and box)."""
    for p in positions:
        if p.start <= offset < p.end:
            return p
    return None
