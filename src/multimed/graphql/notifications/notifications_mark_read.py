"""markNotificationsRead: how many of the caller's unread notifications it marked."""

from __future__ import annotations

import strawberry

from multimed.auth.policy import Permission
from multimed.core.db import transaction
from multimed.core.errors import InvalidInput
from multimed.graphql.context import Info
from multimed.graphql.permissions import needs
from multimed.graphql.relay import uuid_of
from multimed.notifications import service as notifications_service

MAX_IDS = 500


@strawberry.type
class MarkNotificationsReadMutation:
    @strawberry.mutation(
        description="Mark the caller's notifications read; ids of anyone else's are ignored. "
        "Returns how many were unread and are now read.",
        extensions=needs(Permission.READ_SELF),
    )
    async def mark_notifications_read(self, info: Info, ids: list[strawberry.ID]) -> int:
        if len(ids) > MAX_IDS:
            raise InvalidInput(f"at most {MAX_IDS} ids at once", code="too_many_ids")
        raw = [uuid_of(i, "Notification") for i in ids]
        ctx = info.context
        async with transaction(ctx.runtime.sessions) as session:
            return await notifications_service.mark_read(
                session=session, organization_id=ctx.user.organization_id, user_id=ctx.user.user_id, ids=raw
            )
