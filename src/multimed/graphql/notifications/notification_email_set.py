"""setNotificationEmail: where the caller's notification emails go."""

from __future__ import annotations

from typing import Annotated

import strawberry

from multimed.auth.policy import Permission
from multimed.core.db import transaction
from multimed.core.errors import DomainError
from multimed.graphql.context import Info
from multimed.graphql.errors import ValidationError, to_error
from multimed.graphql.permissions import needs
from multimed.notifications import service as notifications_service


@strawberry.type
class SetNotificationEmailSuccess:
    email: str | None


SetNotificationEmailResult = Annotated[
    SetNotificationEmailSuccess | ValidationError, strawberry.union("SetNotificationEmailResult")
]


@strawberry.type
class SetNotificationEmailMutation:
    @strawberry.mutation(
        description="Set the caller's notification email address; null or empty removes it (in-app only).",
        extensions=needs(Permission.READ_SELF),
    )
    async def set_notification_email(
        self, info: Info, email: str | None = None
    ) -> SetNotificationEmailResult:
        ctx = info.context
        try:
            async with transaction(ctx.runtime.sessions) as session:
                stored = await notifications_service.set_email_address(
                    session=session, user_id=ctx.user.user_id, email=email
                )
        except DomainError as exc:
            return to_error(exc)  # type: ignore[return-value]
        return SetNotificationEmailSuccess(email=stored)
