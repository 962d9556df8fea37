"""The API side of the Celery runner: hand committed jobs to the broker, on the queue their work needs."""

from __future__ import annotations

import asyncio
import uuid

from celery import Celery
from sqlmodel import col, select

from multimed.files.models import FileKind, MedicalFile
from multimed.jobs.models import Job, JobKind, JobStatus
from multimed.jobs.queue import JobQueue
from multimed.runtime import Runtime
from multimed.worker.celery_app import TASK, make_celery

_QUEUE_OF_KIND = {FileKind.PDF: "ocr", FileKind.DICOM: "ocr", FileKind.AUDIO: "speech"}


class CeleryQueue(JobQueue):
    name = "celery"

    def __init__(self, runtime: Runtime, app: Celery | None = None) -> None:
        self._runtime = runtime
        self._app = app or make_celery(runtime.settings)

    async def queue_for(self, job: Job) -> str:
        if job.kind == JobKind.SUMMARIZE.value or job.file_id is None:
            return "summaries"
        async with self._runtime.sessions() as session:
            file = await session.get(MedicalFile, job.file_id)
        return _QUEUE_OF_KIND[FileKind(file.kind)] if file else "ocr"

    async def enqueue(self, job: Job) -> None:
        queue = await self.queue_for(job)
        # The task id is the job id: revoking a job needs nothing else.
        await asyncio.to_thread(
            self._app.send_task, TASK, args=[str(job.id)], queue=queue, task_id=str(job.id)
        )

    async def start(self) -> None:
        """Send again the jobs still QUEUED (an API process may have died between commit and send); a
        duplicate delivery finds the job running (lease) or done, and does nothing."""
        async with self._runtime.sessions() as session:
            query = select(Job).where(col(Job.status) == JobStatus.QUEUED.value).order_by(col(Job.created_at))
            pending = list((await session.execute(query)).scalars().all())
        for job in pending:
            await self.enqueue(job)

    def cancel(self, job_id: uuid.UUID) -> bool:
        # A queued task is dropped by the workers; a running job stops before its next stage (status check).
        self._app.control.revoke(str(job_id))
        return True

    async def close(self) -> None:
        self._app.close()
