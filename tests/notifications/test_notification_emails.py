"""notify_job_finished on real SMTP servers: what the email says (and never says), where it goes, and that
a failure to send is recorded, never raised."""

from __future__ import annotations

import asyncio
import socket
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from notification_scene import MRN, NAME, SUMMARY_TEXT, Scene, finished_job, runtime_with
from smtp_capture import SmtpServer, free_port
from sqlalchemy import text

from multimed.auth.models import Role
from multimed.core.crypto import Sealer, SealError
from multimed.core.db import transaction
from multimed.jobs.models import JobKind, JobStatus
from multimed.notifications import service as notifications_service
from multimed.notifications import smtp_service
from multimed.notifications.models import EmailStatus, Notification, SmtpSecurity
from multimed.pipelines.notify import notify_job_finished
from multimed.runtime import Runtime

SENDER = "multimed@hospital.example.org"


def _plain_default(runtime: Runtime, server: SmtpServer, **more: object) -> Runtime:
    return runtime_with(
        runtime,
        smtp_host="127.0.0.1",
        smtp_port=server.port,
        smtp_security="NONE",
        smtp_from=SENDER,
        public_base_url="https://mmf.hospital.example.org/",
        **more,
    )


async def _stored(runtime: Runtime, notification_id: uuid.UUID) -> Notification:
    async with runtime.sessions() as session:
        note = await session.get(Notification, notification_id)
    assert note is not None
    return note


def _assert_no_phi(raw: str) -> None:
    for secret in (MRN, NAME, "Oyelaran", "Margarethe", SUMMARY_TEXT, "Potassium", "6.8"):
        assert secret not in raw


async def test_summary_ready_email_has_the_link_and_token_and_no_phi(
    runtime: Runtime, scene: Scene, plain_smtp: SmtpServer
) -> None:
    rt = _plain_default(runtime, plain_smtp)
    job = await finished_job(rt, scene, status=JobStatus.SUCCEEDED)

    note = await notify_job_finished(rt, job.id)

    assert note is not None
    assert note.summary_id is not None
    [mail] = plain_smtp.mailbox.messages
    assert mail.message["Subject"] == "MultiMed Fusion: summary ready"
    assert mail.recipients == ["dr.lee@hospital.example.org"]
    assert mail.sender == SENDER
    assert f"https://mmf.hospital.example.org/summaries/{note.summary_id}" in mail.body
    assert f"Summary v1 is ready for patient {scene.token}" in mail.body
    _assert_no_phi(mail.raw.decode())
    stored = await _stored(rt, note.id)
    assert (stored.kind, stored.email_status, stored.email_error) == ("SUMMARY_READY", "SENT", None)
    assert (stored.user_id, stored.organization_id, stored.job_id) == (scene.clinician, scene.org.id, job.id)
    assert stored.message == f"Summary v1 is ready for patient {scene.token}"


async def test_job_failed_email_links_the_job_and_names_the_error_code(
    runtime: Runtime, scene: Scene, plain_smtp: SmtpServer
) -> None:
    rt = _plain_default(runtime, plain_smtp)
    job = await finished_job(rt, scene, kind=JobKind.PROCESS_FILE, error_code="deidentification_incomplete")

    note = await notify_job_finished(rt, job.id)

    assert note is not None
    assert note.summary_id is None
    [mail] = plain_smtp.mailbox.messages
    assert mail.message["Subject"] == "MultiMed Fusion: job failed"
    assert f"https://mmf.hospital.example.org/jobs/{job.id}" in mail.body
    assert f"File processing failed (deidentification_incomplete) for patient {scene.token}" in mail.body
    _assert_no_phi(mail.raw.decode())
    assert (await _stored(rt, note.id)).email_status == "SENT"


async def test_organization_settings_override_the_default_over_starttls_with_auth(
    runtime: Runtime,
    own_scene: Scene,
    plain_smtp: SmtpServer,
    tls_smtp: SmtpServer,
    certificate: tuple[Path, Path],
) -> None:
    rt = _plain_default(runtime, plain_smtp, smtp_ca_file=certificate[0])
    async with transaction(rt.sessions) as session:
        await smtp_service.configure(
            session=session,
            organization_id=own_scene.org.id,
            keyring=rt.secrets.master,
            values=smtp_service.SmtpInput(
                host="127.0.0.1",
                port=tls_smtp.port,
                security=SmtpSecurity.STARTTLS,
                from_address="alerts@org.example.org",
                username="relay-user",
                password="relay pass phrase",
            ),
            actor_id=own_scene.org.users[Role.ADMIN].id,
        )
    job = await finished_job(rt, own_scene, status=JobStatus.SUCCEEDED)

    note = await notify_job_finished(rt, job.id)

    assert note is not None
    assert plain_smtp.mailbox.messages == []
    [mail] = tls_smtp.mailbox.messages
    assert tls_smtp.mailbox.logins == ["relay-user"]
    assert mail.sender == "alerts@org.example.org"
    assert mail.message["Subject"] == "MultiMed Fusion: summary ready"
    assert (await _stored(rt, note.id)).email_status == "SENT"


async def test_a_certificate_the_process_does_not_trust_fails_the_email_not_the_call(
    runtime: Runtime, scene: Scene, tls_smtp: SmtpServer
) -> None:
    rt = runtime_with(
        runtime,
        smtp_host="127.0.0.1",
        smtp_port=tls_smtp.port,
        smtp_security="STARTTLS",
        smtp_from=SENDER,
        smtp_username="relay-user",
        smtp_password="relay pass phrase",
    )
    job = await finished_job(rt, scene)

    note = await notify_job_finished(rt, job.id)

    assert note is not None
    stored = await _stored(rt, note.id)
    assert (stored.email_status, stored.email_error) == ("FAILED", "smtp_tls_failed")
    assert tls_smtp.mailbox.messages == []


async def test_smtp_password_is_sealed_at_rest(runtime: Runtime, own_scene: Scene) -> None:
    admin = own_scene.org.users[Role.ADMIN]
    async with transaction(runtime.sessions) as session:
        await smtp_service.configure(
            session=session,
            organization_id=own_scene.org.id,
            keyring=runtime.secrets.master,
            values=smtp_service.SmtpInput(
                host="smtp.example.org",
                port=587,
                security=SmtpSecurity.STARTTLS,
                from_address="alerts@example.org",
                username="relay",
                password="s3cret-relay-password",
            ),
            actor_id=admin.id,
        )
    async with runtime.engine.connect() as conn:
        raw = (
            await conn.execute(
                text("SELECT password_enc FROM organization_smtp WHERE organization_id = :o"),
                {"o": own_scene.org.id},
            )
        ).scalar_one()
    assert b"s3cret-relay-password" not in raw
    sealer = Sealer(runtime.secrets.master, smtp_service.SMTP_PASSWORD_PURPOSE)
    assert sealer.open(raw, str(own_scene.org.id)) == "s3cret-relay-password"
    with pytest.raises(SealError):  # bound to its organization: a row copied to another one does not open
        sealer.open(raw, str(uuid.uuid4()))
    async with runtime.sessions() as session:
        resolved = await smtp_service.resolve(
            session=session,
            organization_id=own_scene.org.id,
            keyring=runtime.secrets.master,
            settings=runtime.settings,
        )
    assert resolved is not None
    assert resolved.password == "s3cret-relay-password"
    assert "s3cret" not in repr(resolved)


async def test_smtp_down_stores_the_notification_with_email_failed(runtime: Runtime, scene: Scene) -> None:
    rt = runtime_with(
        runtime, smtp_host="127.0.0.1", smtp_port=free_port(), smtp_security="NONE", smtp_from=SENDER
    )
    job = await finished_job(rt, scene)

    note = await notify_job_finished(rt, job.id)

    assert note is not None
    stored = await _stored(rt, note.id)
    assert (stored.email_status, stored.email_error) == ("FAILED", "smtp_connect_failed")


@pytest.fixture
async def silent_server() -> AsyncIterator[int]:
    """Accepts connections and never greets: the email must time out."""
    held: list[asyncio.StreamWriter] = []

    async def hold(_: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        held.append(writer)

    server = await asyncio.start_server(hold, "127.0.0.1", 0, family=socket.AF_INET)
    yield server.sockets[0].getsockname()[1]
    for writer in held:
        writer.close()
    server.close()
    await server.wait_closed()


async def test_a_server_that_never_answers_times_out(
    runtime: Runtime, scene: Scene, silent_server: int
) -> None:
    rt = runtime_with(
        runtime,
        smtp_host="127.0.0.1",
        smtp_port=silent_server,
        smtp_security="NONE",
        smtp_from=SENDER,
        smtp_timeout_seconds=0.5,
    )
    job = await finished_job(rt, scene)

    note = await asyncio.wait_for(notify_job_finished(rt, job.id), timeout=10)

    assert note is not None
    assert (await _stored(rt, note.id)).email_error == "smtp_timeout"


async def test_without_a_server_or_an_address_the_email_is_skipped(
    runtime: Runtime, scene: Scene, plain_smtp: SmtpServer
) -> None:
    note = await notify_job_finished(runtime, (await finished_job(runtime, scene)).id)  # no default server
    assert note is not None
    assert ((await _stored(runtime, note.id)).email_status, note.email_error) == ("SKIPPED", "no_smtp_server")

    rt = _plain_default(runtime, plain_smtp)
    admin = scene.org.users[Role.ADMIN].id  # gave no notification address
    note = await notify_job_finished(rt, (await finished_job(rt, scene, created_by=admin)).id)
    assert note is not None
    assert note.user_id == admin
    assert (note.email_status, note.email_error) == ("SKIPPED", "no_recipient_address")
    assert plain_smtp.mailbox.messages == []


async def test_an_organization_that_disabled_email_gets_none_even_with_a_default(
    runtime: Runtime, own_scene: Scene, plain_smtp: SmtpServer
) -> None:
    rt = _plain_default(runtime, plain_smtp)
    async with transaction(rt.sessions) as session:
        await smtp_service.configure(
            session=session,
            organization_id=own_scene.org.id,
            keyring=rt.secrets.master,
            values=smtp_service.SmtpInput(
                host="127.0.0.1",
                port=plain_smtp.port,
                security=SmtpSecurity.NONE,
                from_address=SENDER,
                enabled=False,
            ),
            actor_id=own_scene.clinician,
        )
    note = await notify_job_finished(rt, (await finished_job(rt, own_scene)).id)
    assert note is not None
    assert note.email_status == EmailStatus.SKIPPED.value
    assert plain_smtp.mailbox.messages == []


async def test_one_notification_per_job_however_often_and_concurrently_called(
    runtime: Runtime, scene: Scene, plain_smtp: SmtpServer
) -> None:
    rt = _plain_default(runtime, plain_smtp)
    job = await finished_job(rt, scene, status=JobStatus.SUCCEEDED)

    racing = await asyncio.gather(*(notify_job_finished(rt, job.id) for _ in range(3)))
    later = await notify_job_finished(rt, job.id)

    created = [n for n in racing if n is not None]
    assert len(created) == 1
    assert later is None
    assert len(plain_smtp.mailbox.messages) == 1
    async with rt.sessions() as session:
        page = await notifications_service.list_notifications(
            session=session,
            organization_id=scene.org.id,
            user_id=scene.clinician,
            unread_only=False,
            first=100,
            after=None,
        )
    assert [n.id for n in page.items if n.job_id == job.id] == [created[0].id]


@pytest.mark.parametrize(
    ("kind", "status"),
    [
        (JobKind.PROCESS_FILE, JobStatus.SUCCEEDED),
        (JobKind.SUMMARIZE, JobStatus.CANCELLED),
        (JobKind.SUMMARIZE, JobStatus.RUNNING),
    ],
)
async def test_nothing_to_say_about_other_jobs(
    runtime: Runtime, scene: Scene, kind: JobKind, status: JobStatus
) -> None:
    job = await finished_job(runtime, scene, kind=kind, status=status)
    assert await notify_job_finished(runtime, job.id) is None
    assert await notify_job_finished(runtime, uuid.uuid4()) is None


async def test_the_new_notification_is_published_on_the_users_channel(runtime: Runtime, scene: Scene) -> None:
    async with runtime.events.subscribe(notifications_service.channel(scene.clinician)) as stream:
        note = await notify_job_finished(runtime, (await finished_job(runtime, scene)).id)
        event = await asyncio.wait_for(anext(aiter(stream)), timeout=5)
    assert note is not None
    assert event == {
        "id": str(note.id),
        "userId": str(scene.clinician),
        "kind": "JOB_FAILED",
        "jobId": str(note.job_id),
    }
