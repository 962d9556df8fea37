"""Store and read extracted (de-identified) text."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from multimed.extraction.models import DicomSummaryRow, ExtractedText
from multimed.extraction.positions import Position


async def store(
    *,
    session: AsyncSession,
    file_id: uuid.UUID,
    text: str,
    positions: Sequence[Position],
    pages: list[dict[str, object]],
    engine: str,
    ocr_engine: str | None,
    seconds: float,
) -> ExtractedText:
    """Record the de-identified text of a file version (flushes)."""
    row = ExtractedText(
        file_id=file_id,
        text=text,
        positions=[p.to_json() for p in positions],
        pages=pages,
        engine=engine,
        ocr_engine=ocr_engine,
        seconds=seconds,
    )
    session.add(row)
    await session.flush()
    return row


async def latest_for_files(
    *, session: AsyncSession, file_ids: list[uuid.UUID]
) -> dict[uuid.UUID, ExtractedText]:
    """The newest extraction of each file version, in one query."""
    query = (
        select(ExtractedText)
        .where(col(ExtractedText.file_id).in_(file_ids))
        .order_by(col(ExtractedText.created_at))
    )
    return {row.file_id: row for row in (await session.execute(query)).scalars().all()}


async def store_dicom_summary(*, session: AsyncSession, row: DicomSummaryRow) -> DicomSummaryRow:
    """Record a DICOM file version's summary (flushes)."""
    session.add(row)
    await session.flush()
    return row


async def dicom_summaries_for_files(
    *, session: AsyncSession, file_ids: list[uuid.UUID]
) -> dict[uuid.UUID, DicomSummaryRow]:
    """The newest DICOM summary of each file version, in one query."""
    query = (
        select(DicomSummaryRow)
        .where(col(DicomSummaryRow.file_id).in_(file_ids))
        .order_by(col(DicomSummaryRow.created_at))
    )
    return {row.file_id: row for row in (await session.execute(query)).scalars().all()}
