"""The cluster runner: Celery on Redis. `multimed worker` starts workers on any number of machines.

Every job is one task named `multimed.run_job`, routed by what it needs: `ocr` (PDF and DICOM files),
`speech` (audio), `summaries`. Each can be scaled and placed on its own machines
(`multimed worker --queues speech`). Delivery is at-least-once: tasks are acknowledged late and rejected
when their worker process dies, so a killed worker's job is delivered again; a per-job Redis lease (renewed
while the job runs) keeps two workers from running one job at once, and every stage skips work already
stored, so a second delivery is harmless. A summary task whose file jobs are still running gives its slot
back and retries a second later.
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
import uuid
from typing import Any

from celery import Celery, Task

from multimed.core.settings import Settings, get_settings

log = logging.getLogger(__name__)
TASK = "multimed.run_job"
QUEUES = ("ocr", "speech", "summaries")
LEASE_PREFIX = "multimed:job-lease:"


def make_celery(settings: Settings) -> Celery:
    if not settings.redis_url:
        raise RuntimeError("the Celery runner needs MULTIMED_REDIS_URL (the broker)")
    app = Celery("multimed", broker=settings.redis_url, set_as_current=False)
    app.conf.update(
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,  # a long OCR job must not hold the next one hostage
        task_default_queue="summaries",
        task_serializer="json",
        accept_content=["json"],
        broker_connection_retry_on_startup=True,
        broker_transport_options={"visibility_timeout": settings.job_stage_timeout_seconds * 2},
        worker_hijack_root_logger=False,
        task_ignore_result=True,
    )
    app.task(name=TASK, bind=True, max_retries=None)(_run_job_task)
    return app


class _Process:
    """One runtime and one event loop per worker process, built on its first task (after the fork)."""

    loop: asyncio.AbstractEventLoop | None = None
    runtime: Any = None
    lock = threading.Lock()

    @classmethod
    def get(cls) -> tuple[asyncio.AbstractEventLoop, Any]:
        with cls.lock:
            if cls.loop is None:
                from multimed.runtime import build_runtime

                cls.loop = asyncio.new_event_loop()
                cls.runtime = cls.loop.run_until_complete(
                    build_runtime(get_settings(), migrate=False, bootstrap=False)
                )
            return cls.loop, cls.runtime


def _run_job_task(task: Task, job_id: str) -> str:  # type: ignore[type-arg]
    loop, runtime = _Process.get()
    outcome = loop.run_until_complete(_run(runtime, uuid.UUID(job_id)))
    if outcome == "wait":
        raise task.retry(countdown=1)
    return outcome


async def _run(runtime: Any, job_id: uuid.UUID) -> str:
    from multimed.jobs.events import FINISHED
    from multimed.worker.execute import dependencies, load_job, run_job

    job = await load_job(runtime, job_id)
    if job is None or job.status in FINISHED:
        return "done"
    if await dependencies(runtime, job):
        return "wait"
    lease = f"{LEASE_PREFIX}{job_id}"
    seconds = runtime.settings.job_lease_seconds
    holder = f"{os.getpid()}-{uuid.uuid4().hex[:8]}"
    if not await runtime.redis.set(lease, holder, nx=True, ex=seconds):
        return "wait"  # another worker holds it; if that worker died, its lease expires soon
    renew = asyncio.get_running_loop().create_task(_renew(runtime, lease, holder, seconds))
    try:
        await run_job(runtime, job_id)
    finally:
        renew.cancel()
        if await runtime.redis.get(lease) == holder.encode():
            await runtime.redis.delete(lease)
    return "done"


async def _renew(runtime: Any, lease: str, holder: str, seconds: int) -> None:
    while True:
        await asyncio.sleep(seconds / 3)
        if await runtime.redis.get(lease) == holder.encode():
            await runtime.redis.expire(lease, seconds)


def celery_app() -> Celery:
    """The app of this process's settings (what `celery -A multimed.worker.celery_app:app` loads)."""
    return make_celery(get_settings())


def __getattr__(name: str) -> Any:
    if name == "app":  # built on first use, so importing this module needs no broker configured
        return celery_app()
    raise AttributeError(name)
