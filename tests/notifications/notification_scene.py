"""The data a notification is about: an organization, a patient known by token, finished jobs, a summary."""

from __future__ import annotations

import dataclasses
import uuid
from dataclasses import dataclass

from factories.users import Org, make_org
from multimed.auth.models import Role
from multimed.core.db import transaction
from multimed.core.settings import Settings
from multimed.jobs import service as jobs_service
from multimed.jobs.models import Job, JobKind, JobStatus
from multimed.notifications import service as notifications_service
from multimed.patients import service as patients_service
from multimed.runtime import Runtime
from multimed.summaries import service as summaries_service
from multimed.summaries.models import Summary

MRN, NAME = "00918273", "Margarethe Oyelaran-Whitfield"
SUMMARY_TEXT = "Critical findings: Potassium 6.8 mmol/L (critical high) on the March panel."


def runtime_with(runtime: Runtime, **settings: object) -> Runtime:
    """The shared runtime (same database, bus, keys) with other settings, e.g. a default SMTP server."""
    values = {**runtime.settings.model_dump(), **settings}
    return dataclasses.replace(runtime, settings=Settings(**values))  # validated, unlike model_copy


@dataclass
class Scene:
    org: Org
    patient_id: uuid.UUID
    token: str

    @property
    def clinician(self) -> uuid.UUID:
        return self.org.users[Role.CLINICIAN].id


async def make_scene(
    runtime: Runtime, *, org: Org | None = None, email: str | None = "dr.lee@hospital.example.org"
) -> Scene:
    """An organization (new unless given), one patient (by the token of MRN), the clinician's address."""
    org = org or await make_org(runtime)
    token = patients_service.patient_token(MRN, runtime.secrets.master)
    async with transaction(runtime.sessions) as session:
        patient = await patients_service.get_or_create(session=session, organization_id=org.id, token=token)
        if email:
            await notifications_service.set_email_address(
                session=session, user_id=org.users[Role.CLINICIAN].id, email=email
            )
    return Scene(org, patient.id, token)


async def finished_job(
    runtime: Runtime,
    scene: Scene,
    *,
    kind: JobKind = JobKind.SUMMARIZE,
    status: JobStatus = JobStatus.FAILED,
    error_code: str | None = "files_not_processed",
    summary_text: str = SUMMARY_TEXT,
    created_by: uuid.UUID | None = None,
) -> Job:
    """A job of the scene's clinician, finished as asked; a succeeded SUMMARIZE job gets its summary."""
    async with transaction(runtime.sessions) as session:
        job = await jobs_service.create(
            session=session,
            organization_id=scene.org.id,
            patient_id=scene.patient_id,
            kind=kind,
            created_by=created_by or scene.clinician,
        )
        job.status = status.value
        job.error_code = error_code if status is JobStatus.FAILED else None
        session.add(job)
        if status is JobStatus.SUCCEEDED and kind is JobKind.SUMMARIZE:
            summary = Summary(
                organization_id=scene.org.id,
                patient_id=scene.patient_id,
                job_id=job.id,
                version=await summaries_service.next_version(
                    session=session,
                    patient=await patients_service.get_or_raise(
                        session=session, organization_id=scene.org.id, patient_id=scene.patient_id
                    ),
                ),
                text=summary_text,
                html=f"<p>{summary_text}</p>",
                summarizer="test",
            )
            await summaries_service.store(session=session, summary=summary, finding_ids=[])
        await session.flush()
    return job
