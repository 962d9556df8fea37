"""Where a statement's evidence is: a file version and a span of its de-identified text, page or seconds."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from multimed.extraction.positions import Position


@dataclass(frozen=True)
class Citation:
    """`quote` equals the file's de-identified text at [char_start, char_end) when those are set; DICOM
    metadata citations have no character span and quote the metadata they were read from."""

    file_id: uuid.UUID
    version: int
    quote: str
    page: int | None = None
    start_seconds: float | None = None
    end_seconds: float | None = None
    char_start: int | None = None
    char_end: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "fileId": str(self.file_id),
            "version": self.version,
            "page": self.page,
            "startSeconds": self.start_seconds,
            "endSeconds": self.end_seconds,
            "charStart": self.char_start,
            "charEnd": self.char_end,
            "quote": self.quote,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Citation:
        return cls(
            file_id=uuid.UUID(data["fileId"]),
            version=int(data["version"]),
            quote=str(data["quote"]),
            page=data.get("page"),
            start_seconds=data.get("startSeconds"),
            end_seconds=data.get("endSeconds"),
            char_start=data.get("charStart"),
            char_end=data.get("charEnd"),
        )


def positions_from_json(rows: Sequence[Mapping[str, Any]]) -> list[Position]:
    """The stored position map of an extracted text."""
    return [
        Position(
            start=row["start"],
            end=row["end"],
            page=row.get("page"),
            line=row.get("line"),
            box=tuple(row["box"]) if row.get("box") else None,  # type: ignore[arg-type]
            start_seconds=row.get("start_seconds"),
            end_seconds=row.get("end_seconds"),
            source=row.get("source", "text"),
            confidence=row.get("confidence"),
        )
        for row in rows
    ]


def cite_span(
    *, file_id: uuid.UUID, version: int, text: str, positions: Sequence[Position], start: int, end: int
) -> Citation:
    """The citation of text[start:end]: page from the position holding `start`, seconds spanning the range."""
    first = _covering(positions, start)
    last = _covering(positions, max(start, end - 1))
    return Citation(
        file_id=file_id,
        version=version,
        quote=text[start:end],
        page=first.page if first else None,
        start_seconds=first.start_seconds if first else None,
        end_seconds=(last.end_seconds if last else None)
        if first and first.start_seconds is not None
        else None,
        char_start=start,
        char_end=end,
    )


def _covering(positions: Sequence[Position], offset: int) -> Position | None:
    """The position holding `offset`, else the nearest one before it (offsets between lines/segments)."""
    best: Position | None = None
    for p in positions:
        if p.start <= offset < p.end:
            return p
        if p.start <= offset:
            best = p
    return best
