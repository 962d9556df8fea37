"""NOTIFY: tell the user who started a job that its summary is ready or that it failed — in the app first,
then by email when an SMTP server is configured.

Called by the runner after a SUMMARIZE job succeeds and after any job fails. Idempotent: a second call for the
same job and kind stores, publishes and sends nothing. Email failures never raise: they are recorded on the
notification (email_status FAILED and a code).
"""

from __future__ import annotations

import logging
import uuid

from multimed.audit import service as audit_service
from multimed.audit.actions import Action, Outcome
from multimed.core.db import transaction
from multimed.jobs.models import Job, JobKind, JobStatus
from multimed.notifications import email as notification_email
from multimed.notifications import service as notifications_service
from multimed.notifications import smtp_service
from multimed.notifications.models import EmailStatus, Notification, NotificationKind
from multimed.patients import service as patients_service
from multimed.runtime import Runtime
from multimed.summaries import service as summaries_service
from multimed.summaries.models import Summary

log = logging.getLogger(__name__)


def notification_kind(job: Job) -> NotificationKind | None:
    """What a finished job is worth telling: a failure, or a summary that is ready; otherwise nothing."""
    if job.status == JobStatus.FAILED.value:
        return NotificationKind.JOB_FAILED
    if job.status == JobStatus.SUCCEEDED.value and job.kind == JobKind.SUMMARIZE.value:
        return NotificationKind.SUMMARY_READY
    return None


def message_for(kind: NotificationKind, job: Job, token: str, summary: Summary | None) -> str:
    """A PHI-free sentence: the patient by token, the failure by its stable code."""
    if kind is NotificationKind.SUMMARY_READY:
        assert summary is not None
        return f"Summary v{summary.version} is ready for patient {token}"
    what = "Summary job" if job.kind == JobKind.SUMMARIZE.value else "File processing"
    return f"{what} failed ({job.error_code or 'internal_error'}) for patient {token}"


def link_for(runtime: Runtime, note: Notification) -> str:
    """Where the email points: the summary when there is one, else the job."""
    base = runtime.settings.links_base_url
    return f"{base}/summaries/{note.summary_id}" if note.summary_id else f"{base}/jobs/{note.job_id}"


async def notify_job_finished(runtime: Runtime, job_id: uuid.UUID) -> Notification | None:
    """Store, publish and email the notification of a finished job; None when there is nothing (more) to
    say."""
    async with transaction(runtime.sessions) as session:
        job = await session.get(Job, job_id)
        kind = notification_kind(job) if job is not None else None
        if job is None or kind is None:
            return None
        summary = None
        if kind is NotificationKind.SUMMARY_READY:
            summary = (await summaries_service.for_jobs(session=session, job_ids=[job.id])).get(job.id)
            if summary is None:
                log.warning("succeeded summary job without a summary", extra={"job_id": str(job.id)})
                return None
        patient = await patients_service.get_or_raise(
            session=session, organization_id=job.organization_id, patient_id=job.patient_id
        )
        note = await notifications_service.create_once(
            session=session,
            organization_id=job.organization_id,
            user_id=job.created_by,
            kind=kind,
            job_id=job.id,
            summary_id=summary.id if summary else None,
            patient_token=patient.token,
            message=message_for(kind, job, patient.token, summary),
        )
        if note is None:
            return None
        smtp = await smtp_service.resolve(
            session=session,
            organization_id=job.organization_id,
            keyring=runtime.secrets.master,
            settings=runtime.settings,
        )
        address = await notifications_service.email_address(session=session, user_id=job.created_by)
    # In the app first: an email that hangs until its timeout must not delay what the user sees.
    await runtime.events.publish(
        notifications_service.channel(note.user_id), notifications_service.event(note)
    )
    outcome = await _email(runtime, note, kind, smtp, address)
    async with transaction(runtime.sessions) as session:
        await notifications_service.record_email(
            session=session, notification_id=note.id, status=outcome.status, error=outcome.error
        )
        await audit_service.append(
            session=session,
            action=Action.NOTIFY,
            outcome=Outcome.FAILED if outcome.status is EmailStatus.FAILED else Outcome.OK,
            organization_id=note.organization_id,
            target_type="notification",
            target_id=note.id,
            details={"kind": kind.value, "email": outcome.status.value, "code": outcome.error},
        )
    note.email_status, note.email_error = outcome.status.value, outcome.error
    return note


async def _email(
    runtime: Runtime,
    note: Notification,
    kind: NotificationKind,
    smtp: smtp_service.SmtpConfig | None,
    address: str | None,
) -> notification_email.EmailOutcome:
    if smtp is None or address is None:
        reason = "no_smtp_server" if smtp is None else "no_recipient_address"
        log.info("notification email skipped", extra={"reason": reason, "notification_id": str(note.id)})
        return notification_email.EmailOutcome(EmailStatus.SKIPPED, reason)
    message = notification_email.compose(
        config=smtp, to=address, kind=kind, message=note.message, link=link_for(runtime, note)
    )
    return await notification_email.send(
        message,
        smtp,
        timeout_seconds=runtime.settings.smtp_timeout_seconds,
        ca_file=runtime.settings.smtp_ca_file,
    )
