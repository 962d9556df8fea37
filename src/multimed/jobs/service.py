"""Jobs: created in the transaction that makes their work; run by the pipeline (later)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from multimed.core.db import utcnow
from multimed.core.errors import NotFound
from multimed.jobs.errors import JobFinished
from multimed.jobs.events import FINISHED
from multimed.jobs.models import Job, JobKind, JobStatus


async def create(
    *,
    session: AsyncSession,
    organization_id: uuid.UUID,
    patient_id: uuid.UUID,
    kind: JobKind,
    created_by: uuid.UUID,
    file_id: uuid.UUID | None = None,
    params: dict[str, Any] | None = None,
) -> Job:
    """A queued job (flushes; enqueued by the caller after commit)."""
    job = Job(
        organization_id=organization_id,
        patient_id=patient_id,
        file_id=file_id,
        kind=kind.value,
        created_by=created_by,
        params=params or {},
    )
    session.add(job)
    await session.flush()
    return job


async def get(*, session: AsyncSession, organization_id: uuid.UUID, job_id: uuid.UUID) -> Job | None:
    """A job of the organization."""
    job = await session.get(Job, job_id)
    return job if job is not None and job.organization_id == organization_id else None


async def get_or_raise(*, session: AsyncSession, organization_id: uuid.UUID, job_id: uuid.UUID) -> Job:
    """A job of the organization, or NotFound."""
    job = await session.get(Job, job_id)
    if job is None or job.organization_id != organization_id:
        raise NotFound("job not found", code="job_not_found")
    return job


async def latest_for_files(*, session: AsyncSession, file_ids: list[uuid.UUID]) -> dict[uuid.UUID, Job]:
    """The newest job of each file version, in one query."""
    query = (
        select(Job)
        .where(col(Job.file_id).in_(file_ids))
        .order_by(col(Job.file_id), col(Job.created_at).desc())
        .ext(distinct_on(col(Job.file_id)))
    )
    return {job.file_id: job for job in (await session.execute(query)).scalars().all() if job.file_id}


async def cancel(*, session: AsyncSession, organization_id: uuid.UUID, job_id: uuid.UUID) -> Job:
    """Mark a queued or running job CANCELLED (flushes). A running stage finishes its own transaction and
    the runner stops before the next one, so nothing is left half-written."""
    job = await session.get(Job, job_id, with_for_update=True)
    if job is None or job.organization_id != organization_id:
        raise NotFound("job not found", code="job_not_found")
    if job.status in FINISHED:
        raise JobFinished()
    job.status = JobStatus.CANCELLED.value
    job.finished_at = utcnow()
    session.add(job)
    await session.flush()
    return job
