"""SMTP servers: an organization's own (password sealed at rest), else the process default from settings."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession

from multimed.audit import service as audit_service
from multimed.audit.actions import Action, Outcome
from multimed.core.crypto import Sealer
from multimed.core.db import utcnow
from multimed.core.keys import MasterKeyring
from multimed.core.settings import Settings
from multimed.notifications.addresses import checked_address
from multimed.notifications.errors import InvalidSmtpSettings
from multimed.notifications.models import OrganizationSmtp, SmtpSecurity

SMTP_PASSWORD_PURPOSE = "multimed/smtp-password/v1"
_FORBIDDEN = ("\r", "\n", "\x00")


@dataclass(frozen=True)
class SmtpConfig:
    """A server to send through, with its password opened; `source` says whose it is (for logs)."""

    host: str
    port: int
    security: SmtpSecurity
    username: str | None
    password: str | None = field(repr=False)
    from_address: str
    source: str  # "organization" | "default"


@dataclass(frozen=True)
class SmtpInput:
    """configureSmtp's values. `password` None keeps the stored one, "" removes it."""

    host: str
    port: int
    security: SmtpSecurity
    from_address: str
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    enabled: bool = True


def _checked(values: SmtpInput) -> SmtpInput:
    host = values.host.strip()
    if not host or len(host) > 255 or any(c.isspace() for c in host) or "/" in host:
        raise InvalidSmtpSettings("host must be a host name or address")
    if not 1 <= values.port <= 65535:
        raise InvalidSmtpSettings("port must be between 1 and 65535")
    username = (values.username or "").strip() or None
    if username is not None and (len(username) > 255 or any(c in username for c in _FORBIDDEN)):
        raise InvalidSmtpSettings("username must be one line of at most 255 characters")
    if values.password is not None and (
        len(values.password) > 500 or any(c in values.password for c in _FORBIDDEN)
    ):
        raise InvalidSmtpSettings("password must be one line of at most 500 characters")
    return SmtpInput(
        host=host,
        port=values.port,
        security=values.security,
        from_address=checked_address(values.from_address, "fromAddress"),
        username=username,
        password=values.password,
        enabled=values.enabled,
    )


async def get(*, session: AsyncSession, organization_id: uuid.UUID) -> OrganizationSmtp | None:
    """The organization's own SMTP settings, if it has any."""
    return await session.get(OrganizationSmtp, organization_id)


async def configure(
    *,
    session: AsyncSession,
    organization_id: uuid.UUID,
    keyring: MasterKeyring,
    values: SmtpInput,
    actor_id: uuid.UUID,
    request_id: str | None = None,
) -> OrganizationSmtp:
    """Set the organization's SMTP server (flushes); the change is audited without any value."""
    checked = _checked(values)
    row = await session.get(OrganizationSmtp, organization_id, with_for_update=True)
    if row is None:
        row = OrganizationSmtp(
            organization_id=organization_id,
            host=checked.host,
            port=checked.port,
            security=checked.security.value,
            from_address=checked.from_address,
        )
    row.host, row.port, row.security = checked.host, checked.port, checked.security.value
    row.username, row.from_address, row.enabled = checked.username, checked.from_address, checked.enabled
    if checked.password is not None:
        row.password_enc = (
            Sealer(keyring, SMTP_PASSWORD_PURPOSE).seal(checked.password, str(organization_id))
            if checked.password
            else None
        )
    row.updated_by, row.updated_at = actor_id, utcnow()
    session.add(row)
    await session.flush()
    await audit_service.append(
        session=session,
        action=Action.SMTP_CONFIGURE,
        outcome=Outcome.OK,
        organization_id=organization_id,
        actor_id=actor_id,
        target_type="organization",
        target_id=organization_id,
        request_id=request_id,
        details={"security": checked.security.value, "enabled": checked.enabled},
    )
    return row


def default_config(settings: Settings) -> SmtpConfig | None:
    """The process-wide server from MULTIMED_SMTP_*, or None when no host or sender is set."""
    if not settings.smtp_host or not settings.smtp_from:
        return None
    return SmtpConfig(
        host=settings.smtp_host,
        port=settings.smtp_port,
        security=SmtpSecurity(settings.smtp_security),
        username=settings.smtp_username,
        password=settings.smtp_password.get_secret_value() if settings.smtp_password else None,
        from_address=settings.smtp_from,
        source="default",
    )


async def resolve(
    *, session: AsyncSession, organization_id: uuid.UUID, keyring: MasterKeyring, settings: Settings
) -> SmtpConfig | None:
    """The server an organization's email goes through: its own (None if it disabled email), else the
    default, else None (email skipped, in-app only)."""
    row = await get(session=session, organization_id=organization_id)
    if row is None:
        return default_config(settings)
    if not row.enabled:
        return None
    password = (
        Sealer(keyring, SMTP_PASSWORD_PURPOSE).open(row.password_enc, str(organization_id))
        if row.password_enc
        else None
    )
    return SmtpConfig(
        host=row.host,
        port=row.port,
        security=SmtpSecurity(row.security),
        username=row.username,
        password=password,
        from_address=row.from_address,
        source="organization",
    )
