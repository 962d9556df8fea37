"""Notifications, each user's email address for them, and each organization's SMTP server."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, Column, Index, LargeBinary, UniqueConstraint
from sqlmodel import Field, SQLModel

from multimed.core.columns import fk_field, id_field, timestamp_field


class NotificationKind(enum.StrEnum):
    SUMMARY_READY = "SUMMARY_READY"
    JOB_FAILED = "JOB_FAILED"


class EmailStatus(enum.StrEnum):
    PENDING = "PENDING"  # stored, not yet tried (a crash between the two leaves it visible as such)
    SENT = "SENT"
    FAILED = "FAILED"
    SKIPPED = "SKIPPED"


class SmtpSecurity(enum.StrEnum):
    NONE = "NONE"
    STARTTLS = "STARTTLS"
    TLS = "TLS"


class Notification(SQLModel, table=True):
    """One message to one user. `message` names the patient by token only; never PHI, never summary text."""

    __tablename__ = "notifications"
    __table_args__ = (
        # Idempotency: the runner may call twice (a retry, a resumed job); one notification per job and kind.
        UniqueConstraint("job_id", "kind", "user_id"),
        Index("ix_notifications_user_created", "user_id", "created_at", "id"),
        CheckConstraint("kind IN ('SUMMARY_READY','JOB_FAILED')", name="kind_known"),
        CheckConstraint("email_status IN ('PENDING','SENT','FAILED','SKIPPED')", name="email_status_known"),
    )

    id: uuid.UUID = id_field()
    organization_id: uuid.UUID = fk_field("organizations.id")
    user_id: uuid.UUID = fk_field("users.id", index=False)
    kind: str = Field(max_length=16)
    job_id: uuid.UUID = fk_field("jobs.id", index=False)
    summary_id: uuid.UUID | None = fk_field("summaries.id", nullable=True, index=False)
    patient_token: str = Field(max_length=64)
    message: str = Field(max_length=300)
    email_status: str = Field(default=EmailStatus.PENDING.value, max_length=8)
    # A stable code (smtp_timeout, smtp_auth_failed…), never the server's reply, which can echo addresses.
    email_error: str | None = Field(default=None, max_length=64)
    created_at: datetime = timestamp_field()
    read_at: datetime | None = timestamp_field(nullable=True)


class NotificationAddress(SQLModel, table=True):
    """Where a user's notification emails go (users have a username, not necessarily a mailbox)."""

    __tablename__ = "notification_addresses"

    user_id: uuid.UUID = Field(foreign_key="users.id", primary_key=True)
    email: str = Field(max_length=254)
    updated_at: datetime = timestamp_field()


class OrganizationSmtp(SQLModel, table=True):
    """An organization's own SMTP server; overrides the process default (settings) when present."""

    __tablename__ = "organization_smtp"
    __table_args__ = (
        CheckConstraint("security IN ('NONE','STARTTLS','TLS')", name="security_known"),
        CheckConstraint("port BETWEEN 1 AND 65535", name="port_range"),
    )

    organization_id: uuid.UUID = Field(foreign_key="organizations.id", primary_key=True)
    host: str = Field(max_length=255)
    port: int
    security: str = Field(max_length=8)
    username: str | None = Field(default=None, max_length=255)
    # Sealed with the master keyring (purpose smtp-password, context the organization id); never returned.
    password_enc: bytes | None = Field(default=None, sa_column=Column(LargeBinary, nullable=True))
    from_address: str = Field(max_length=254)
    enabled: bool = True
    updated_by: uuid.UUID | None = fk_field("users.id", nullable=True, index=False)
    updated_at: datetime = timestamp_field()
