"""notifications: the caller's own, newest first."""

from __future__ import annotations

import strawberry

from multimed.auth.policy import Permission
from multimed.graphql.context import Info
from multimed.graphql.notifications.types import NotificationType, SmtpSettingsType, notification_cursor
from multimed.graphql.pagination import page_size
from multimed.graphql.permissions import needs
from multimed.graphql.relay import Connection, page_connection
from multimed.notifications import service as notifications_service
from multimed.notifications import smtp_service


@strawberry.type
class NotificationQueries:
    @strawberry.field(
        extensions=needs(Permission.READ_SELF), description="The caller's notifications, newest first."
    )
    async def notifications(
        self,
        info: Info,
        unread_only: bool | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[NotificationType]:
        ctx = info.context
        page = await notifications_service.list_notifications(
            session=await ctx.session(),
            organization_id=ctx.user.organization_id,
            user_id=ctx.user.user_id,
            unread_only=bool(unread_only),
            first=page_size(info, first),
            after=after,
        )
        return page_connection(page, encode=NotificationType.from_model, key=notification_cursor)

    @strawberry.field(
        extensions=needs(Permission.MANAGE_SETTINGS),
        description="The organization's own SMTP server (ADMIN); null = the default from settings, if any.",
    )
    async def smtp_settings(self, info: Info) -> SmtpSettingsType | None:
        ctx = info.context
        row = await smtp_service.get(session=await ctx.session(), organization_id=ctx.user.organization_id)
        return SmtpSettingsType.from_model(row) if row else None
