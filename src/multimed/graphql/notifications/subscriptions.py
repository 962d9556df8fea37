"""Subscription.notifications: the caller's new notifications as they are stored."""

from __future__ import annotations

import uuid
from collections.abc import AsyncGenerator

import strawberry

from multimed.auth.policy import Permission
from multimed.graphql.context import Info
from multimed.graphql.notifications.types import NotificationType
from multimed.graphql.permissions import needs
from multimed.notifications import service as notifications_service


@strawberry.type
class NotificationSubscriptions:
    @strawberry.subscription(
        name="notifications",
        description="Each new notification of the caller (graphql-transport-ws), from now on.",
        extensions=needs(Permission.READ_SELF),
    )
    async def notifications_stream(self, info: Info) -> AsyncGenerator[NotificationType, None]:
        ctx = info.context
        user = ctx.user
        async with ctx.runtime.events.subscribe(notifications_service.channel(user.user_id)) as stream:
            async for event in stream:
                # The bus carries ids only; the row is read back under the caller's own user and organization.
                async with ctx.runtime.sessions() as session:
                    note = await notifications_service.get(
                        session=session,
                        organization_id=user.organization_id,
                        user_id=user.user_id,
                        notification_id=uuid.UUID(str(event["id"])),
                    )
                if note is not None:
                    yield NotificationType.from_model(note)
                    # Its fields were resolved (some through the context's session): hold no connection
                    # while the WebSocket waits for the next one.
                    await ctx.release()
