"""The Celery runner with real worker processes on Redis: the whole flow with live events, and a worker
process killed in the middle of a job whose job still completes, once."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import psutil
import pytest
import redis
from redis.asyncio import Redis
from sqlmodel import col, func, select

from factories.uploads import upload
from factories.users import make_org
from flows.test_summary_flow import ct_dicom, lab_pdf
from multimed.auth.models import Role
from multimed.core.db import transaction
from multimed.events.redis_bus import RedisEventBus
from multimed.extraction.models import ExtractedText
from multimed.graphql.relay import to_global_id
from multimed.jobs import events
from multimed.jobs.models import Job
from multimed.notifications import service as notifications_service
from multimed.notifications.models import Notification
from multimed.runtime import Runtime
from multimed.worker.celery_app import make_celery
from multimed.worker.celery_queue import CeleryQueue
from notifications.smtp_capture import SmtpServer, start_server
from transcription.speech_fixtures import AUDIO

REDIS_URL = os.environ.get("MULTIMED_TEST_CELERY_REDIS", "redis://127.0.0.1:6379/9")


@pytest.fixture(scope="module")
def smtp() -> Iterator[SmtpServer]:
    """A real SMTP server on loopback: the worker sends the summary-ready email to it."""
    server = start_server()
    yield server
    server.controller.stop()


def _worker_env(runtime: Runtime, smtp: SmtpServer) -> dict[str, str]:
    s = runtime.settings
    assert s.master_key is not None
    assert s.jwt_secret is not None
    env = {k: v for k, v in os.environ.items() if not k.startswith("MULTIMED_")}
    return env | {
        "MULTIMED_ENV": "test",
        "MULTIMED_DATABASE_URL": runtime.database_url,
        "MULTIMED_DATA_DIR": str(s.data_dir),
        "MULTIMED_BLOB_URL": s.effective_blob_url,
        "MULTIMED_MASTER_KEY": s.master_key.get_secret_value(),
        "MULTIMED_JWT_SECRET": s.jwt_secret.get_secret_value(),
        "MULTIMED_REDIS_URL": REDIS_URL,
        "MULTIMED_JOB_LEASE_SECONDS": "3",
        "MULTIMED_SMTP_HOST": "127.0.0.1",
        "MULTIMED_SMTP_PORT": str(smtp.port),
        "MULTIMED_SMTP_SECURITY": "NONE",
        "MULTIMED_SMTP_FROM": "multimed@hospital.example.org",
        "MULTIMED_LOG_LEVEL": "WARNING",
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
    }


@pytest.fixture(scope="module")
def worker(
    runtime: Runtime, smtp: SmtpServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[subprocess.Popen[bytes]]:
    """`multimed worker` in its own process group, on a Redis database of its own."""
    redis.Redis.from_url(REDIS_URL).flushdb()
    log = tmp_path_factory.mktemp("worker") / "worker.log"
    exe = Path(sys.executable).with_name("multimed")
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(exe), "worker", "--concurrency", "2"],
            env=_worker_env(runtime, smtp),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    yield process
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)


@pytest.fixture(scope="module")
async def celery_queue(runtime: Runtime) -> AsyncIterator[CeleryQueue]:
    queue = CeleryQueue(runtime, make_celery(runtime.settings.model_copy(update={"redis_url": REDIS_URL})))
    yield queue
    await queue.close()


@pytest.fixture(scope="module")
async def bus() -> AsyncIterator[RedisEventBus]:
    redis = Redis.from_url(REDIS_URL)
    events_bus = RedisEventBus(redis)
    yield events_bus
    await events_bus.close()
    await redis.aclose()


async def _job(runtime: Runtime, job_id: str | uuid.UUID) -> Job:
    async with runtime.sessions() as session:
        job = await session.get(Job, uuid.UUID(str(job_id)))
    assert job is not None
    return job


async def _until(runtime: Runtime, job_id: str, done: Any, within: float = 600) -> Job:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        job = await _job(runtime, job_id)
        if done(job):
            return job
        await asyncio.sleep(0.25)
    raise AssertionError(f"job {job_id} stuck in {job.status}/{job.stage}")


async def test_whole_flow_on_celery_workers_with_live_events(
    client: httpx.AsyncClient,
    runtime: Runtime,
    worker: subprocess.Popen[bytes],
    celery_queue: CeleryQueue,
    bus: RedisEventBus,
    smtp: SmtpServer,
) -> None:
    org = await make_org(runtime)
    clinician = org.users[Role.CLINICIAN]
    async with transaction(runtime.sessions) as session:
        await notifications_service.set_email_address(
            session=session, user_id=clinician.id, email="dr.celery@example.org"
        )
    mrn = f"CEL-{uuid.uuid4().hex[:6]}"
    uploads = [
        await upload(client, org, mrn, "labs.pdf", lab_pdf()),
        await upload(client, org, mrn, "dictation.wav", (AUDIO / "chest_pain.wav").read_bytes()),
        await upload(client, org, mrn, "ct.dcm", ct_dicom()),
    ]
    asked = await client.post(
        "/summarize", headers=org.headers(Role.CLINICIAN), json={"patient_token": uploads[0]["patient_token"]}
    )
    summary_job = asked.json()["job_id"]
    received: list[dict[str, Any]] = []

    async def listen() -> None:
        async with bus.subscribe(events.channel(uuid.UUID(summary_job))) as stream:
            listening.set()
            async for event in stream:
                received.append(event)
                if event["status"] in events.FINISHED:
                    return

    listening = asyncio.Event()
    listener = asyncio.create_task(listen())
    await listening.wait()
    for job_id in [summary_job] + [u["job_id"] for u in uploads]:
        await celery_queue.enqueue(await _job(runtime, job_id))
    await asyncio.wait_for(listener, timeout=900)

    jobs = [await _job(runtime, u["job_id"]) for u in uploads] + [await _job(runtime, summary_job)]
    assert [(j.status, j.error_code) for j in jobs] == [("SUCCEEDED", None)] * 4
    assert [e["status"] for e in received][-1] == "SUCCEEDED"
    assert [e["progress"] for e in received] == sorted(e["progress"] for e in received)
    body = await client.post(
        "/graphql",
        json={
            "query": "query($id: ID!) { job(id: $id) { summary { hasCritical sections { title } } } }",
            "variables": {"id": to_global_id("Job", summary_job)},
        },
        headers=org.headers(Role.ANALYST),
    )
    assert body.json()["data"]["job"]["summary"]["hasCritical"] is True
    # NOTIFY (after the job's final event): stored for the clinician who asked, and the email reached the
    # SMTP server, without PHI.
    notes: list[Notification] = []
    for _ in range(240):
        async with runtime.sessions() as session:
            query = select(Notification).where(col(Notification.job_id) == uuid.UUID(summary_job))
            notes = list((await session.execute(query)).scalars().all())
        if notes and notes[0].email_status != "PENDING":
            break
        await asyncio.sleep(0.25)
    assert [(n.kind, n.user_id, n.email_status) for n in notes] == [("SUMMARY_READY", clinician.id, "SENT")]
    mail = [m for m in smtp.mailbox.messages if "dr.celery@example.org" in m.recipients]
    assert len(mail) == 1
    assert uploads[0]["patient_token"] in mail[0].body
    assert mrn not in mail[0].body


async def test_a_worker_process_killed_mid_job_does_not_lose_it(
    client: httpx.AsyncClient,
    runtime: Runtime,
    worker: subprocess.Popen[bytes],
    celery_queue: CeleryQueue,
) -> None:
    org = await make_org(runtime)
    uploaded = await upload(
        client,
        org,
        f"KIL-{uuid.uuid4().hex[:6]}",
        "dictation.ogg",
        (AUDIO / "two_dictations.ogg").read_bytes(),
    )
    await celery_queue.enqueue(await _job(runtime, uploaded["job_id"]))
    await _until(runtime, uploaded["job_id"], lambda j: j.status == "RUNNING" and j.stage == "EXTRACT")
    children = psutil.Process(worker.pid).children(recursive=True)
    assert children, "the worker runs jobs in child processes"
    for child in children:
        child.kill()  # SIGKILL: no chance to acknowledge, clean up or release its lease

    job = await _until(runtime, uploaded["job_id"], lambda j: j.status in events.FINISHED)
    assert (job.status, job.error_code) == ("SUCCEEDED", None)
    async with runtime.sessions() as session:
        texts = (
            await session.execute(
                select(func.count())
                .select_from(ExtractedText)
                .where(col(ExtractedText.file_id) == job.file_id)
            )
        ).scalar_one()
    assert texts == 1  # the rerun found nothing half-written and wrote nothing twice
