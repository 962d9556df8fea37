"""me."""

from __future__ import annotations

import strawberry

from multimed.auth import service as auth_service
from multimed.auth.policy import Permission
from multimed.graphql.context import Info
from multimed.graphql.permissions import needs
from multimed.graphql.users.types import UserType


@strawberry.type
class UserQueries:
    @strawberry.field(extensions=needs(Permission.READ_SELF))
    async def me(self, info: Info) -> UserType:
        ctx = info.context
        user = await auth_service.get_user_or_raise(
            session=await ctx.session(), user_id=ctx.user.user_id, organization_id=ctx.user.organization_id
        )
        return UserType.from_model(user)
