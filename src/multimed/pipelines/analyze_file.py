"""ANALYZE: the findings of one processed file version, each with its citation. A re-run is a no-op."""

from __future__ import annotations

import asyncio
import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from multimed.core.db import transaction
from multimed.core.errors import DomainError
from multimed.extraction import service as extraction_service
from multimed.files import service as files_service
from multimed.files.models import FileKind, MedicalFile
from multimed.findings import service as findings_service
from multimed.findings.analyze import analyze_text
from multimed.findings.citation import Citation, cite_span, positions_from_json
from multimed.findings.document_date import document_date
from multimed.findings.draft import FindingDraft
from multimed.findings.imaging import imaging_finding, imaging_quote
from multimed.findings.models import Finding
from multimed.runtime import Runtime


class NotExtracted(DomainError):
    """Analysis ran before extraction stored anything for the file version."""

    status = 409

    def __init__(self) -> None:
        super().__init__("the file has not been extracted yet", code="not_extracted")


async def analyze_file(runtime: Runtime, *, file_id: uuid.UUID, organization_id: uuid.UUID) -> list[Finding]:
    """Read the findings of a file version from its de-identified text (or DICOM metadata) and store them."""
    async with transaction(runtime.sessions) as session:
        file = await files_service.get_or_raise(
            session=session, organization_id=organization_id, file_id=file_id
        )
        if file.id in await findings_service.analyzed_file_ids(session=session, file_ids=[file.id]):
            # analyzed before (perhaps with no findings at all): a re-run writes nothing
            return (await findings_service.for_files(session=session, file_ids=[file.id]))[file.id]
        if FileKind(file.kind) is FileKind.DICOM:
            cited = await _dicom_findings(session, file)
            observed = file.uploaded_at
        else:
            texts = await extraction_service.latest_for_files(session=session, file_ids=[file.id])
            row = texts.get(file.id)
            if row is None:
                raise NotExtracted
            drafts = await asyncio.to_thread(analyze_text, row.text, runtime.critical_limits())
            positions = positions_from_json(row.positions)
            cited = [
                (
                    d,
                    cite_span(
                        file_id=file.id,
                        version=file.version,
                        text=row.text,
                        positions=positions,
                        start=d.start,
                        end=d.end,
                    ),
                )
                for d in drafts
            ]
            observed = document_date(row.text) or file.uploaded_at
        stored = await findings_service.store(session=session, file=file, drafts=cited, observed_at=observed)
    await runtime.cache.invalidate(organization_id)  # after the commit: see cache/query_cache.py
    return stored


async def _dicom_findings(session: AsyncSession, file: MedicalFile) -> list[tuple[FindingDraft, Citation]]:
    """The study as an IMAGING finding, citing the de-identified metadata it names."""
    summaries = await extraction_service.dicom_summaries_for_files(session=session, file_ids=[file.id])
    row = summaries.get(file.id)
    if row is None:
        raise NotExtracted
    quote = imaging_quote(row.meta)
    return [(imaging_finding(row.meta), Citation(file_id=file.id, version=file.version, quote=quote))]
