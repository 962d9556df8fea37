"""Asking for a summary: validate the patient and files, then queue a SUMMARIZE job (audited)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from multimed.audit import service as audit_service
from multimed.audit.actions import Action, Outcome
from multimed.auth.principal import Principal
from multimed.jobs import service as jobs_service
from multimed.jobs.models import Job, JobKind
from multimed.patients import service as patients_service
from multimed.patients.errors import PatientNotFound
from multimed.summaries.coverage import coverage
from multimed.summaries.errors import UnknownFiles

MAX_FILES = 500


async def request_summary(
    *,
    session: AsyncSession,
    principal: Principal,
    patient_token: str,
    file_ids: Sequence[uuid.UUID] | None,
    request_id: str | None = None,
) -> Job:
    """A queued SUMMARIZE job for the patient (flushes; the caller commits, then enqueues)."""
    patient = await patients_service.get_by_token(
        session=session, organization_id=principal.organization_id, token=patient_token
    )
    if patient is None:
        raise PatientNotFound()
    wanted = list(dict.fromkeys(file_ids or []))
    if len(wanted) > MAX_FILES:
        raise UnknownFiles(len(wanted) - MAX_FILES)
    # Refuse now what waiting cannot mend (a named file whose processing failed); the job waits for the rest.
    await coverage(
        session=session,
        organization_id=principal.organization_id,
        patient_id=patient.id,
        file_ids=wanted,
        processing_ok=True,
    )
    job = await jobs_service.create(
        session=session,
        organization_id=principal.organization_id,
        patient_id=patient.id,
        kind=JobKind.SUMMARIZE,
        created_by=principal.user_id,
        params={"file_ids": [str(i) for i in wanted]} if wanted else {},
    )
    await audit_service.append(
        session=session,
        action=Action.SUMMARY_REQUEST,
        outcome=Outcome.OK,
        organization_id=principal.organization_id,
        actor_id=principal.user_id,
        target_type="job",
        target_id=job.id,
        request_id=request_id,
        details={"files": len(wanted) or "latest"},
    )
    return job
