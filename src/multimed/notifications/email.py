"""Notification emails: a subject, a link and the patient token, sent with aiosmtplib.

The body never holds PHI or summary text: the reader follows the link and signs in. A failure to send is
returned as a stable code, never raised and never the server's reply (replies can echo addresses).
"""

from __future__ import annotations

import logging
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

import aiosmtplib

from multimed.notifications.models import EmailStatus, NotificationKind, SmtpSecurity
from multimed.notifications.smtp_service import SmtpConfig

log = logging.getLogger(__name__)

SUBJECTS = {
    NotificationKind.SUMMARY_READY: "MultiMed Fusion: summary ready",
    NotificationKind.JOB_FAILED: "MultiMed Fusion: job failed",
}


@dataclass(frozen=True)
class EmailOutcome:
    status: EmailStatus
    error: str | None = None


def compose(*, config: SmtpConfig, to: str, kind: NotificationKind, message: str, link: str) -> EmailMessage:
    """The email for one notification: its PHI-free message and a link, nothing else."""
    email = EmailMessage()
    email["Subject"] = SUBJECTS[kind]
    email["From"] = config.from_address
    email["To"] = to
    email["Date"] = formatdate(localtime=False)
    email["Message-ID"] = make_msgid(domain=config.from_address.rpartition("@")[2])
    email.set_content(
        f"{message}.\n\n"
        f"Open it: {link}\n\n"
        "This message holds no patient data; sign in to MultiMed Fusion to see the details.\n"
    )
    return email


def tls_context(ca_file: Path | None) -> ssl.SSLContext:
    """Certificate and host name checks always on; an internal CA replaces the system's when given."""
    return ssl.create_default_context(cafile=str(ca_file) if ca_file else None)


def _error_code(exc: BaseException) -> str:
    if isinstance(exc, aiosmtplib.SMTPTimeoutError | TimeoutError):
        return "smtp_timeout"
    if isinstance(exc, aiosmtplib.SMTPAuthenticationError):
        return "smtp_auth_failed"
    if isinstance(exc, aiosmtplib.SMTPRecipientsRefused | aiosmtplib.SMTPRecipientRefused):
        return "smtp_recipient_refused"
    if isinstance(exc, aiosmtplib.SMTPSenderRefused):
        return "smtp_sender_refused"
    if isinstance(exc, ssl.SSLError):
        return "smtp_tls_failed"
    if isinstance(exc, aiosmtplib.SMTPConnectError | OSError):
        return "smtp_connect_failed"
    return "smtp_error"


async def send(
    email: EmailMessage, config: SmtpConfig, *, timeout_seconds: float, ca_file: Path | None = None
) -> EmailOutcome:
    """Deliver one email; SENT, or FAILED with a code (logged without addresses or content)."""
    try:
        await aiosmtplib.send(
            email,
            hostname=config.host,
            port=config.port,
            username=config.username,
            password=config.password,
            use_tls=config.security is SmtpSecurity.TLS,
            start_tls=config.security is SmtpSecurity.STARTTLS,
            tls_context=tls_context(ca_file) if config.security is not SmtpSecurity.NONE else None,
            timeout=timeout_seconds,
        )
    except (aiosmtplib.SMTPException, OSError, TimeoutError) as exc:
        code = _error_code(exc)
        log.warning(
            "notification email failed",
            extra={"error_code": code, "error_type": type(exc).__name__, "smtp_source": config.source},
        )
        return EmailOutcome(EmailStatus.FAILED, code)
    return EmailOutcome(EmailStatus.SENT)
