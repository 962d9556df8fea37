"""User and Role."""

from __future__ import annotations

from datetime import datetime

import strawberry

from multimed.auth.models import Role, User
from multimed.graphql.relay import Node, to_global_id

RoleEnum = strawberry.enum(Role, name="Role")


@strawberry.type(name="User")
class UserType(Node):
    id: strawberry.ID
    username: str
    role: RoleEnum  # type: ignore[valid-type]
    created_at: datetime

    @classmethod
    def from_model(cls, user: User) -> UserType:
        return cls(
            id=to_global_id("User", user.id),
            username=user.username,
            role=Role(user.role),
            created_at=user.created_at,
        )
