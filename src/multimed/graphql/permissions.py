"""Permissions declared on fields, backed by auth/policy.py; denials are audited."""

from __future__ import annotations

from typing import Any

from strawberry.extensions.field_extension import FieldExtension
from strawberry.permission import BasePermission, PermissionExtension

from multimed.access import require
from multimed.auth.policy import Permission
from multimed.core.errors import DomainError
from multimed.graphql.context import Info


class Requires(BasePermission):
    """The caller must be authenticated and its role must hold `permission`.

    With `when_argument`, the permission is needed only when that argument is given
    (e.g. looking a patient up by MRN).
    """

    def __init__(self, permission: Permission, *, when_argument: str | None = None) -> None:
        self.permission = permission
        self.when_argument = when_argument
        self.message = "not allowed"
        self.error_extensions: dict[str, Any] = {"code": "FORBIDDEN"}

    async def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        if self.when_argument is not None and kwargs.get(self.when_argument) is None:
            return True
        try:
            await require(
                info.context.runtime,
                info.context.principal,
                self.permission,
                operation=f"graphql:{info.field_name}",
                request_id=info.context.request_id,
            )
        except DomainError as exc:
            self.message = exc.message
            self.error_extensions = {"code": exc.code.upper()}
            return False
        return True


def needs(*permissions: Permission | Requires) -> list[FieldExtension]:
    """Field extensions for `strawberry.field(extensions=needs(...))`."""
    checks: list[BasePermission] = [p if isinstance(p, Requires) else Requires(p) for p in permissions]
    return [PermissionExtension(permissions=checks, use_directives=False)]
