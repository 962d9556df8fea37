"""Notification and the organization's SMTP settings (never its password)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from multimed.core.pagination import Cursor
from multimed.graphql.context import Info
from multimed.graphql.relay import Node, to_global_id
from multimed.jobs import service as jobs_service
from multimed.notifications.models import (
    EmailStatus,
    Notification,
    NotificationKind,
    OrganizationSmtp,
    SmtpSecurity,
)
from multimed.summaries import service as summaries_service

if TYPE_CHECKING:
    from multimed.graphql.jobs.types import JobType
    from multimed.graphql.summaries.types import SummaryType

NotificationKindEnum = strawberry.enum(NotificationKind, name="NotificationKind")
EmailStatusEnum = strawberry.enum(
    EmailStatus, name="EmailStatus", description="PENDING until tried; SKIPPED when no server or address."
)
SmtpSecurityEnum = strawberry.enum(SmtpSecurity, name="SmtpSecurity")


@strawberry.type(
    name="Notification", description="A summary ready or a job failed; the patient by token only."
)
class NotificationType(Node):
    id: strawberry.ID
    kind: NotificationKindEnum  # type: ignore[valid-type]
    message: str
    patient_token: str
    created_at: datetime
    read_at: datetime | None
    email_status: EmailStatusEnum  # type: ignore[valid-type]
    _model: strawberry.Private[Notification]

    @strawberry.field
    async def job(
        self, info: Info
    ) -> Annotated[JobType, strawberry.lazy("multimed.graphql.jobs.types")] | None:
        from multimed.graphql.jobs.types import JobType

        job = await jobs_service.get(
            session=await info.context.session(),
            organization_id=info.context.user.organization_id,
            job_id=self._model.job_id,
        )
        return JobType.from_model(job) if job else None

    @strawberry.field(description="The summary that is ready (null for a failed job).")
    async def summary(
        self, info: Info
    ) -> Annotated[SummaryType, strawberry.lazy("multimed.graphql.summaries.types")] | None:
        from multimed.graphql.summaries.types import SummaryType

        if self._model.summary_id is None:
            return None
        summary = await summaries_service.get(
            session=await info.context.session(),
            organization_id=info.context.user.organization_id,
            summary_id=self._model.summary_id,
        )
        return SummaryType.from_model(summary) if summary else None

    @classmethod
    def from_model(cls, note: Notification) -> NotificationType:
        return cls(
            id=to_global_id("Notification", note.id),
            kind=NotificationKind(note.kind),
            message=note.message,
            patient_token=note.patient_token,
            created_at=note.created_at,
            read_at=note.read_at,
            email_status=EmailStatus(note.email_status),
            _model=note,
        )


def notification_cursor(note: Notification) -> Cursor:
    return Cursor(note.created_at, str(note.id))


@strawberry.type(
    name="SmtpSettings", description="The organization's SMTP server; the password is never returned."
)
class SmtpSettingsType:
    host: str
    port: int
    security: SmtpSecurityEnum  # type: ignore[valid-type]
    username: str | None
    from_address: str
    enabled: bool
    has_password: bool
    updated_at: datetime

    @classmethod
    def from_model(cls, row: OrganizationSmtp) -> SmtpSettingsType:
        return cls(
            host=row.host,
            port=row.port,
            security=SmtpSecurity(row.security),
            username=row.username,
            from_address=row.from_address,
            enabled=row.enabled,
            has_password=row.password_enc is not None,
            updated_at=row.updated_at,
        )
