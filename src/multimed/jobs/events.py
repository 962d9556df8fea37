"""JobEvent: what the bus carries when a job's status, stage or progress changes (no patient data)."""

from __future__ import annotations

import uuid

from multimed.core.db import utcnow
from multimed.jobs.models import Job, JobStatus

FINISHED = frozenset({JobStatus.SUCCEEDED.value, JobStatus.FAILED.value, JobStatus.CANCELLED.value})


def channel(job_id: uuid.UUID) -> str:
    return f"job:{job_id}"


def job_event(job: Job, message: str | None = None) -> dict[str, object]:
    """The event of a job's current state; `message` is a stage name, an error code or a short status text."""
    return {
        "jobId": str(job.id),
        "status": job.status,
        "stage": job.stage,
        "progress": job.progress,
        "message": message if message is not None else (job.error_code or job.stage or job.status.lower()),
        "at": utcnow().isoformat(),
    }
