"""Store and query findings."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, bindparam
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from multimed.core.pagination import Page, PageQueries, fields_of
from multimed.files.models import MedicalFile
from multimed.findings.citation import Citation
from multimed.findings.draft import FindingDraft, FindingKind, Severity
from multimed.findings.models import FileAnalysis, Finding
from multimed.patients import service as patients_service


@dataclass(frozen=True)
class FindingFilter:
    patient_id: uuid.UUID | None = None
    patient_token: str | None = None  # with organization_id: the patient's rows, none for an unknown token
    severity: Severity | None = None
    kind: FindingKind | None = None
    since: datetime | None = None
    until: datetime | None = None


def citation_of(finding: Finding, version: int) -> Citation:
    """A stored finding's citation."""
    return Citation(
        file_id=finding.file_id,
        version=version,
        quote=finding.quote,
        page=finding.page,
        start_seconds=finding.start_seconds,
        end_seconds=finding.end_seconds,
        char_start=finding.char_start,
        char_end=finding.char_end,
    )


async def store(
    *,
    session: AsyncSession,
    file: MedicalFile,
    drafts: Sequence[tuple[FindingDraft, Citation]],
    observed_at: datetime,
) -> list[Finding]:
    """Record a file version's findings with their citations, and that it was analyzed (flushes).

    A concurrent second analysis of the version fails on the marker's primary key and its transaction
    rolls back, so findings are never doubled.
    """
    rows = [
        Finding(
            organization_id=file.organization_id,
            patient_id=file.patient_id,
            file_id=file.id,
            kind=draft.kind.value,
            name=draft.name[:128],
            code=draft.code,
            value=draft.value,
            value_text=draft.value_text[:64] if draft.value_text else None,
            qualifier=draft.qualifier,
            unit=draft.unit,
            reference_low=draft.reference_low,
            reference_high=draft.reference_high,
            flag=draft.flag,
            severity=draft.severity.value,
            negated=draft.negated,
            specimen=draft.specimen[:64] if draft.specimen else None,
            observed_at=observed_at,
            page=citation.page,
            start_seconds=citation.start_seconds,
            end_seconds=citation.end_seconds,
            char_start=citation.char_start,
            char_end=citation.char_end,
            quote=citation.quote,
            details=dict(draft.details),
        )
        for draft, citation in drafts
    ]
    session.add(FileAnalysis(file_id=file.id, organization_id=file.organization_id, findings=len(rows)))
    session.add_all(rows)
    await session.flush()
    return rows


async def for_files(
    *, session: AsyncSession, file_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[Finding]]:
    """The findings of each file version, in text order, in one query."""
    query = (
        select(Finding)
        .where(col(Finding.file_id).in_(list(file_ids)))
        .order_by(col(Finding.file_id), col(Finding.char_start), col(Finding.id))
    )
    out: dict[uuid.UUID, list[Finding]] = {file_id: [] for file_id in file_ids}
    for row in (await session.execute(query)).scalars().all():
        out[row.file_id].append(row)
    return out


async def analyzed_file_ids(*, session: AsyncSession, file_ids: Sequence[uuid.UUID]) -> set[uuid.UUID]:
    """Which of the file versions were analyzed (analysis is then a no-op), with or without findings."""
    query = select(FileAnalysis.file_id).where(col(FileAnalysis.file_id).in_(list(file_ids)))
    return set((await session.execute(query)).scalars().all())


def _findings(present: frozenset[str]) -> Select[Any]:
    query = patients_service.rows_of_patient(Finding, present)
    if "severity" in present:
        query = query.where(col(Finding.severity) == bindparam("severity"))
    if "kind" in present:
        query = query.where(col(Finding.kind) == bindparam("kind"))
    if "since" in present:
        query = query.where(col(Finding.observed_at) >= bindparam("since"))
    if "until" in present:
        query = query.where(col(Finding.observed_at) < bindparam("until"))
    return query


_FINDING_PAGES = PageQueries(
    _findings, at_col=col(Finding.observed_at), id_col=col(Finding.id), descending=True
)


async def list_findings(
    *,
    session: AsyncSession,
    organization_id: uuid.UUID,
    filter: FindingFilter,
    first: int,
    after: str | None,
) -> Page[Finding]:
    """The organization's findings matching the filter, newest observation first."""
    values = {
        "organization_id": organization_id,
        **fields_of(filter),
        "severity": filter.severity.value if filter.severity else None,
        "kind": filter.kind.value if filter.kind else None,
    }
    return await _FINDING_PAGES.fetch(session, values, first=first, after=after)


async def by_ids(*, session: AsyncSession, finding_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Finding]:
    """Findings by id, in one query."""
    rows = (await session.execute(select(Finding).where(col(Finding.id).in_(list(finding_ids))))).scalars()
    return {row.id: row for row in rows}


async def get(*, session: AsyncSession, organization_id: uuid.UUID, finding_id: uuid.UUID) -> Finding | None:
    """A finding of the organization."""
    finding = await session.get(Finding, finding_id)
    return finding if finding is not None and finding.organization_id == organization_id else None
