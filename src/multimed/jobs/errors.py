"""Errors of the jobs domain."""

from __future__ import annotations

from multimed.core.errors import DomainError


class JobFinished(DomainError):
    """cancelJob on a job that already ended."""

    status = 409

    def __init__(self) -> None:
        super().__init__("the job has already finished", code="job_finished")
