"""End to end on real components: an uploaded lab report with a name and MRN is processed and summarized by
the runner, which notifies; the email carries the link and token and nothing of the report or summary."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import httpx
import pytest
from notification_scene import runtime_with
from smtp_capture import SmtpServer

from factories.uploads import upload
from factories.users import Org, make_org
from flows.test_summary_flow import MRN, NAME, lab_pdf
from multimed.auth.models import Role
from multimed.core.db import transaction
from multimed.jobs.models import Job
from multimed.notifications import service as notifications_service
from multimed.notifications.models import Notification
from multimed.runtime import Runtime
from multimed.summaries.models import Summary
from multimed.worker.inprocess import InProcessQueue

ADDRESS = "dr.flow@hospital.example.org"


@pytest.fixture
async def notifying_runtime(runtime: Runtime, plain_smtp: SmtpServer) -> Runtime:
    return runtime_with(
        runtime,
        smtp_host="127.0.0.1",
        smtp_port=plain_smtp.port,
        smtp_security="NONE",
        smtp_from="mmf@example.org",
    )


@pytest.fixture
async def queue(notifying_runtime: Runtime) -> AsyncIterator[InProcessQueue]:
    runner = InProcessQueue(notifying_runtime, concurrency=2)
    yield runner
    await runner.close()


async def _notifications(runtime: Runtime, org: Org) -> list[Notification]:
    async with runtime.sessions() as session:
        page = await notifications_service.list_notifications(
            session=session,
            organization_id=org.id,
            user_id=org.users[Role.CLINICIAN].id,
            unread_only=False,
            first=10,
            after=None,
        )
    return page.items


async def test_runner_notifies_a_ready_summary_and_a_failed_file_without_phi(
    client: httpx.AsyncClient, notifying_runtime: Runtime, queue: InProcessQueue, plain_smtp: SmtpServer
) -> None:
    rt = notifying_runtime
    org = await make_org(rt)
    async with transaction(rt.sessions) as session:
        await notifications_service.set_email_address(
            session=session, user_id=org.users[Role.CLINICIAN].id, email=ADDRESS
        )
    uploaded = await upload(client, org, MRN, "labs.pdf", lab_pdf())
    asked = await client.post(
        "/summarize", headers=org.headers(Role.CLINICIAN), json={"patient_token": uploaded["patient_token"]}
    )
    assert asked.status_code == 202, asked.text
    broken = await upload(client, org, f"X-{uuid.uuid4().hex[:6]}", "labs.pdf", b"%PDF-1.4 not really a pdf")
    async with rt.sessions() as session:
        jobs = [
            await session.get(Job, uuid.UUID(i))
            for i in (asked.json()["job_id"], uploaded["job_id"], broken["job_id"])
        ]
    for job in jobs:
        assert job is not None
        await queue.enqueue(job)
    await queue.wait_idle()

    notes = {n.kind: n for n in await _notifications(rt, org)}
    assert set(notes) == {"SUMMARY_READY", "JOB_FAILED"}
    ready, failed = notes["SUMMARY_READY"], notes["JOB_FAILED"]
    assert ready.job_id == uuid.UUID(asked.json()["job_id"])
    assert failed.job_id == uuid.UUID(broken["job_id"])
    async with rt.sessions() as session:
        summary = await session.get(Summary, ready.summary_id)
    assert summary is not None
    mails = {m.message["Subject"]: m for m in plain_smtp.mailbox.messages}
    assert set(mails) == {"MultiMed Fusion: summary ready", "MultiMed Fusion: job failed"}
    summary_mail = mails["MultiMed Fusion: summary ready"]
    assert f"/summaries/{summary.id}" in summary_mail.body
    assert uploaded["patient_token"] in summary_mail.body
    assert f"/jobs/{broken['job_id']}" in mails["MultiMed Fusion: job failed"].body
    for mail in mails.values():
        raw = mail.raw.decode()
        assert mail.recipients == [ADDRESS]
        for secret in (MRN, NAME, "Smithers", "Johnathan", "Potassium", "6.8", summary.text[:40]):
            assert secret not in raw
    assert ready.email_status == failed.email_status == "SENT"
