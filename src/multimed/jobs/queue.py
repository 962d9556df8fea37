"""Where jobs go after the transaction that created them commits: the runner's queue interface."""

from __future__ import annotations

import uuid
from abc import ABC, abstractmethod

from multimed.jobs.models import Job


class JobQueue(ABC):
    """Runs queued jobs. Implementations: in-process (embedded default); a broker-backed one for clusters."""

    name: str

    @abstractmethod
    async def enqueue(self, job: Job) -> None:
        """Schedule a committed, QUEUED job."""

    @abstractmethod
    async def start(self) -> None:
        """Begin running; picks up jobs left QUEUED or RUNNING by a previous process."""

    @abstractmethod
    async def close(self) -> None:
        """Stop taking jobs and wait for (or cancel) the running ones."""

    @abstractmethod
    def cancel(self, job_id: uuid.UUID) -> bool:
        """Stop a job this process is running or holding; whether it was found here."""
