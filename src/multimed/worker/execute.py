"""Running one job: its stages in order, with status, stage, progress, timing and a typed error stored.

Errors stored on a job are DomainError codes and messages, which never carry patient data; anything else is
stored as `internal_error` and logged by exception type only.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from multimed.core.db import transaction, utcnow
from multimed.core.errors import DomainError
from multimed.files import service as files_service
from multimed.files.models import FileKind, FileStatus
from multimed.jobs import events
from multimed.jobs import service as jobs_service
from multimed.jobs.events import FINISHED
from multimed.jobs.models import Job, JobKind, JobStage, JobStatus
from multimed.pipelines.notify import notify_job_finished
from multimed.pipelines.summarize_patient import summarize_patient
from multimed.runtime import Runtime
from multimed.summaries.coverage import covered_files
from multimed.worker.pipeline import FILE_STAGES
from multimed.worker.transient import is_transient

log = logging.getLogger(__name__)


async def update_job(runtime: Runtime, job_id: uuid.UUID, **fields: Any) -> Job:
    """Write fields of a job in their own transaction, then publish its JobEvent (after commit).

    A finished job (cancelled meanwhile, say) is never changed again: the write is skipped.
    """
    async with transaction(runtime.sessions) as session:
        job = await session.get(Job, job_id, with_for_update=True)
        assert job is not None
        if job.status in FINISHED:
            return job
        for name, value in fields.items():
            setattr(job, name, value)
        session.add(job)
        await session.flush()
    if any(k in fields for k in ("status", "stage", "progress")):
        await runtime.events.publish(events.channel(job_id), events.job_event(job))
    return job


async def load_job(runtime: Runtime, job_id: uuid.UUID) -> Job | None:
    async with runtime.sessions() as session:
        return await session.get(Job, job_id)


class JobCancelled(Exception):
    """The job was cancelled (cancelJob) between two stages."""


class StageTimedOut(DomainError):
    status = 504

    def __init__(self, stage: str) -> None:
        super().__init__(f"the {stage.lower()} stage exceeded its time limit", code="stage_timeout")


async def run_job(runtime: Runtime, job_id: uuid.UUID) -> Job:
    """Run a job to its end. A finished job is returned untouched; a RUNNING one (crashed) is resumed."""
    job = await load_job(runtime, job_id)
    if job is None or job.status in FINISHED:
        assert job is not None
        return job
    job = await update_job(
        runtime, job_id, status=JobStatus.RUNNING.value, started_at=job.started_at or utcnow()
    )
    try:
        if job.kind == JobKind.PROCESS_FILE.value:
            await _process_file(runtime, job)
        else:
            await _summarize(runtime, job)
    except JobCancelled:
        return await _finish_cancelled(runtime, job)
    except asyncio.CancelledError:
        await _finish_cancelled(runtime, job)
        raise
    except DomainError as exc:
        return await _fail(runtime, job, exc.code, exc.message)
    except Exception as exc:
        log.error("job failed", extra={"job_id": str(job_id), "error_type": type(exc).__name__})
        return await _fail(runtime, job, "internal_error", "Unexpected error.")
    if job.file_id is not None:
        await _file_status(runtime, job, FileStatus.PROCESSED)
    finished = await update_job(
        runtime, job_id, status=JobStatus.SUCCEEDED.value, progress=1.0, finished_at=utcnow()
    )
    await _notify(runtime, finished)
    return finished


async def _finish_cancelled(runtime: Runtime, job: Job) -> Job:
    """Mark cancelled (cancelJob usually did already) and publish the final event."""
    done = await update_job(runtime, job.id, status=JobStatus.CANCELLED.value, finished_at=utcnow())
    if done.status == JobStatus.CANCELLED.value:
        await runtime.events.publish(events.channel(job.id), events.job_event(done, "cancelled"))
    return done


async def _step(runtime: Runtime, job: Job, stage: JobStage, work: Callable[[], Awaitable[object]]) -> float:
    """One stage: refused when the job was cancelled, retried with backoff on transient failures, bounded in
    time; returns its seconds."""
    current = await load_job(runtime, job.id)
    if current is None or current.status == JobStatus.CANCELLED.value:
        raise JobCancelled
    settings = runtime.settings
    started = time.perf_counter()
    for attempt in range(settings.job_retries + 1):
        try:
            await asyncio.wait_for(work(), timeout=settings.job_stage_timeout_seconds)
            return round(time.perf_counter() - started, 3)
        except TimeoutError as exc:
            raise StageTimedOut(stage.value) from exc
        except Exception as exc:
            if attempt == settings.job_retries or not is_transient(exc):
                raise
            delay = settings.job_retry_base_seconds * 2**attempt
            log.warning(
                "transient failure, retrying",
                extra={"job_id": str(job.id), "stage": stage.value, "error_type": type(exc).__name__},
            )
            await asyncio.sleep(delay)
    raise AssertionError("unreachable")


async def _fail(runtime: Runtime, job: Job, code: str, message: str) -> Job:
    if job.file_id is not None:
        await _file_status(runtime, job, FileStatus.FAILED)
    failed = await update_job(
        runtime,
        job.id,
        status=JobStatus.FAILED.value,
        error_code=code[:64],
        error_message=message[:500],
        finished_at=utcnow(),
    )
    await _notify(runtime, failed)
    return failed


async def _file_status(runtime: Runtime, job: Job, status: FileStatus) -> None:
    assert job.file_id is not None
    async with transaction(runtime.sessions) as session:
        file = await files_service.get_or_raise(
            session=session, organization_id=job.organization_id, file_id=job.file_id
        )
        file.status = status.value
        session.add(file)


async def _process_file(runtime: Runtime, job: Job) -> None:
    assert job.file_id is not None
    async with runtime.sessions() as session:
        file = await files_service.get_or_raise(
            session=session, organization_id=job.organization_id, file_id=job.file_id
        )
    stages = FILE_STAGES[FileKind(file.kind)]
    timings = dict(job.stage_seconds)
    for i, step in enumerate(stages):
        await update_job(runtime, job.id, stage=step.stage.value, progress=round(i / len(stages), 3))
        if await step.done(runtime, file.id):
            continue
        timings[step.stage.value] = await _step(
            runtime,
            job,
            step.stage,
            lambda step=step: step.run(runtime, file_id=file.id, organization_id=job.organization_id),  # type: ignore[misc]
        )
        await update_job(runtime, job.id, stage_seconds=dict(timings))


async def _summarize(runtime: Runtime, job: Job) -> None:
    await update_job(runtime, job.id, stage=JobStage.SUMMARIZE.value, progress=0.1)
    file_ids = _requested_files(job)
    seconds = await _step(
        runtime,
        job,
        JobStage.SUMMARIZE,
        lambda: summarize_patient(
            runtime,
            organization_id=job.organization_id,
            patient_id=job.patient_id,
            file_ids=file_ids,
            job_id=job.id,
        ),
    )
    await update_job(runtime, job.id, stage_seconds={JobStage.SUMMARIZE.value: seconds})


async def _notify(runtime: Runtime, job: Job) -> None:
    """NOTIFY: tell whoever asked (a summary ready, a job failed); never fails the job."""
    if job.kind != JobKind.SUMMARIZE.value and job.status != JobStatus.FAILED.value:
        return
    try:
        await notify_job_finished(runtime, job.id)
    except Exception as exc:
        log.error("notification failed", extra={"job_id": str(job.id), "error_type": type(exc).__name__})


async def dependencies(runtime: Runtime, job: Job) -> list[uuid.UUID]:
    """The processing jobs a summary job waits for: the newest job of each file it covers."""
    if job.kind != JobKind.SUMMARIZE.value:
        return []
    async with runtime.sessions() as session:
        try:
            files = await covered_files(
                session=session,
                organization_id=job.organization_id,
                patient_id=job.patient_id,
                file_ids=_requested_files(job),
            )
        except DomainError:
            return []  # nothing to wait for: running the job reports the same typed error
        jobs = await jobs_service.latest_for_files(session=session, file_ids=[f.id for f in files])
    return [j.id for j in jobs.values() if j.status not in FINISHED]


def _requested_files(job: Job) -> list[uuid.UUID] | None:
    """The file versions a SUMMARIZE job was asked for; None means the latest of each."""
    return [uuid.UUID(i) for i in job.params.get("file_ids", [])] or None
