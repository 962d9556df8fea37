"""The embedded default runner: jobs run inside `multimed serve`, a bounded number at a time.

CPU-heavy stage work already runs off the event loop (asyncio.to_thread in the stages), so the API keeps
answering while jobs run. A summary job waits for its files' jobs before it takes a slot, so waiting jobs
can never starve the jobs they wait for. Jobs left QUEUED or RUNNING by a previous process are picked up at
start (a RUNNING one resumes at its first unfinished stage).
"""

from __future__ import annotations

import asyncio
import logging
import uuid

from sqlmodel import col, select

from multimed.jobs.events import FINISHED
from multimed.jobs.models import Job, JobStatus
from multimed.jobs.queue import JobQueue
from multimed.runtime import Runtime

log = logging.getLogger(__name__)
POLL_SECONDS = 0.25


class InProcessQueue(JobQueue):
    name = "in-process"

    def __init__(self, runtime: Runtime, *, concurrency: int = 2) -> None:
        self._runtime = runtime
        self._concurrency = concurrency
        self._slots = asyncio.Semaphore(max(concurrency, 1))
        self._tasks: dict[uuid.UUID, asyncio.Task[None]] = {}
        self._closed = False
        if concurrency > 0:
            # Running jobs imports the pipelines and, through them, the models' packages (torch, spaCy,
            # medspaCy: seconds and hundreds of MB): done here, at start, not on the loop at the first job,
            # and never in an API-only process (concurrency 0), which runs none.
            import multimed.worker.execute  # noqa: F401

    async def enqueue(self, job: Job) -> None:
        if self._concurrency == 0 or self._closed or job.id in self._tasks:
            return  # an API-only process: the job stays QUEUED for a process that runs jobs
        task = asyncio.get_running_loop().create_task(self._run(job.id), name=f"job-{job.id}")
        self._tasks[job.id] = task
        task.add_done_callback(lambda _: self._tasks.pop(job.id, None))

    async def start(self) -> None:
        async with self._runtime.sessions() as session:
            query = (
                select(Job)
                .where(col(Job.status).in_([JobStatus.QUEUED.value, JobStatus.RUNNING.value]))
                .order_by(col(Job.created_at))
            )
            pending = list((await session.execute(query)).scalars().all())
        for job in pending:
            await self.enqueue(job)

    def cancel(self, job_id: uuid.UUID) -> bool:
        task = self._tasks.get(job_id)
        if task is None:
            return False
        task.cancel()
        return True

    async def close(self) -> None:
        self._closed = True
        tasks = list(self._tasks.values())
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def wait_idle(self) -> None:
        """Until no job of this process is left (tests and benchmarks)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks.values()), return_exceptions=True)

    async def _run(self, job_id: uuid.UUID) -> None:
        from multimed.worker.execute import dependencies, load_job, run_job  # imported by __init__

        job = await load_job(self._runtime, job_id)
        if job is None or job.status in FINISHED:
            return
        while waiting := await dependencies(self._runtime, job):
            for other in waiting:
                if other not in self._tasks and (found := await load_job(self._runtime, other)):
                    await self.enqueue(found)
            await asyncio.sleep(POLL_SECONDS)
        async with self._slots:
            try:
                await run_job(self._runtime, job_id)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # run_job stores failures; this is the database itself failing
                log.error(
                    "job runner failed", extra={"job_id": str(job_id), "error_type": type(exc).__name__}
                )
