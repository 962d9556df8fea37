"""Store and query summaries. A patient's summaries are numbered 1, 2, 3…; none is ever changed."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, bindparam, func
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from multimed.core.pagination import Page, PageQueries, fields_of
from multimed.findings.models import Finding
from multimed.patients import service as patients_service
from multimed.patients.models import Patient
from multimed.summaries.errors import SummaryNotFound
from multimed.summaries.models import Summary, SummaryFinding


@dataclass(frozen=True)
class SummaryFilter:
    patient_id: uuid.UUID | None = None
    patient_token: str | None = None  # with organization_id: the patient's rows, none for an unknown token
    since: datetime | None = None
    until: datetime | None = None
    has_critical: bool | None = None


async def next_version(*, session: AsyncSession, patient: Patient) -> int:
    """The patient's next summary version. Locks the patient row until the transaction ends, so concurrent
    summaries of one patient get consecutive versions instead of a unique-constraint failure."""
    await session.execute(select(Patient.id).where(Patient.id == patient.id).with_for_update())
    current = (
        await session.execute(select(func.max(Summary.version)).where(Summary.patient_id == patient.id))
    ).scalar_one()
    return int(current or 0) + 1


async def store(*, session: AsyncSession, summary: Summary, finding_ids: Sequence[uuid.UUID]) -> Summary:
    """Record a complete summary with the findings it states (flushes); it is never changed afterwards."""
    session.add(summary)
    await session.flush()
    session.add_all(
        SummaryFinding(summary_id=summary.id, finding_id=finding_id, position=i)
        for i, finding_id in enumerate(dict.fromkeys(finding_ids))
    )
    await session.flush()
    return summary


async def get(*, session: AsyncSession, organization_id: uuid.UUID, summary_id: uuid.UUID) -> Summary | None:
    """A summary of the organization."""
    summary = await session.get(Summary, summary_id)
    return summary if summary is not None and summary.organization_id == organization_id else None


async def get_or_raise(
    *, session: AsyncSession, organization_id: uuid.UUID, summary_id: uuid.UUID
) -> Summary:
    """A summary of the organization, or SummaryNotFound."""
    summary = await get(session=session, organization_id=organization_id, summary_id=summary_id)
    if summary is None:
        raise SummaryNotFound()
    return summary


def _summaries(present: frozenset[str]) -> Select[Any]:
    query = patients_service.rows_of_patient(Summary, present)
    if "since" in present:
        query = query.where(col(Summary.created_at) >= bindparam("since"))
    if "until" in present:
        query = query.where(col(Summary.created_at) < bindparam("until"))
    if "has_critical" in present:
        query = query.where(col(Summary.has_critical) == bindparam("has_critical"))
    return query


_SUMMARY_PAGES = PageQueries(
    _summaries, at_col=col(Summary.created_at), id_col=col(Summary.id), descending=True
)


async def list_summaries(
    *,
    session: AsyncSession,
    organization_id: uuid.UUID,
    filter: SummaryFilter,
    first: int,
    after: str | None,
) -> Page[Summary]:
    """The organization's summaries matching the filter, newest first."""
    values = {"organization_id": organization_id, **fields_of(filter)}
    return await _SUMMARY_PAGES.fetch(session, values, first=first, after=after)


async def latest_for_patients(
    *, session: AsyncSession, patient_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, Summary]:
    """The newest summary of each patient, in one query."""
    query = (
        select(Summary)
        .where(col(Summary.patient_id).in_(list(patient_ids)))
        .order_by(col(Summary.patient_id), col(Summary.version).desc())
        .ext(distinct_on(col(Summary.patient_id)))
    )
    return {row.patient_id: row for row in (await session.execute(query)).scalars().all()}


async def findings_of(
    *, session: AsyncSession, summary_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[Finding]]:
    """The findings each summary states, in statement order, in one query."""
    query = (
        select(SummaryFinding.summary_id, Finding)
        .join(Finding, col(Finding.id) == col(SummaryFinding.finding_id))
        .where(col(SummaryFinding.summary_id).in_(list(summary_ids)))
        .order_by(col(SummaryFinding.summary_id), col(SummaryFinding.position))
    )
    out: dict[uuid.UUID, list[Finding]] = {summary_id: [] for summary_id in summary_ids}
    for summary_id, finding in (await session.execute(query)).all():
        out[summary_id].append(finding)
    return out


async def for_jobs(*, session: AsyncSession, job_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Summary]:
    """The summary each job wrote, in one query."""
    query = select(Summary).where(col(Summary.job_id).in_(list(job_ids)))
    return {row.job_id: row for row in (await session.execute(query)).scalars().all() if row.job_id}
