"""createUser (ADMIN)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from multimed.auth import service as auth_service
from multimed.auth.models import Role
from multimed.auth.policy import Permission
from multimed.core.db import transaction
from multimed.core.errors import DomainError
from multimed.graphql.context import Info
from multimed.graphql.errors import ValidationError, to_error
from multimed.graphql.permissions import needs
from multimed.graphql.users.types import RoleEnum, UserType


@strawberry.input
class CreateUserInput:
    username: str
    password: str
    role: RoleEnum  # type: ignore[valid-type]


@strawberry.type
class CreateUserSuccess:
    user: UserType


CreateUserResult = Annotated[CreateUserSuccess | ValidationError, strawberry.union("CreateUserResult")]


@strawberry.type
class UserMutations:
    @strawberry.mutation(
        description="Add a user to the caller's organization.", extensions=needs(Permission.MANAGE_USERS)
    )
    async def create_user(self, info: Info, input: CreateUserInput) -> CreateUserResult:
        ctx = info.context
        try:
            async with transaction(ctx.runtime.sessions) as session:
                user = await auth_service.create_user(
                    session=session,
                    organization_id=ctx.user.organization_id,
                    username=input.username,
                    password=input.password,
                    role=Role(input.role),
                    actor_id=ctx.user.user_id,
                    request_id=ctx.request_id,
                )
        except DomainError as exc:
            return to_error(exc)  # type: ignore[return-value]
        return CreateUserSuccess(user=UserType.from_model(user))
