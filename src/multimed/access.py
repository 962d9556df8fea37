"""Authorization shared by both delivery layers: authenticate, check the policy, audit denials."""

from __future__ import annotations

from multimed.audit import service as audit_service
from multimed.audit.actions import Action, Outcome
from multimed.auth.bearer import principal_from_authorization
from multimed.auth.errors import Forbidden, TooManyAttempts
from multimed.auth.policy import Permission, allows
from multimed.auth.principal import Principal
from multimed.core.crypto import keyed_hash
from multimed.core.db import transaction
from multimed.core.errors import Unauthenticated
from multimed.runtime import Runtime


def authenticate(runtime: Runtime, authorization: str | None) -> Principal | None:
    """The caller from an Authorization header value (None when absent)."""
    s = runtime.settings
    return principal_from_authorization(
        authorization, runtime.secrets.jwt, issuer=s.jwt_issuer, audience=s.jwt_audience
    )


async def require(
    runtime: Runtime,
    principal: Principal | None,
    permission: Permission,
    *,
    operation: str,
    request_id: str | None,
) -> Principal:
    """The principal when its role holds the permission; a denial is audited in its own transaction."""
    if principal is None:
        raise Unauthenticated("authentication required")
    if allows(principal.role, permission):
        return principal
    async with transaction(runtime.sessions) as session:
        await audit_service.append(
            session=session,
            action=Action.PERMISSION_DENIED,
            outcome=Outcome.DENIED,
            organization_id=principal.organization_id,
            actor_id=principal.user_id,
            target_type="operation",
            target_id=operation[:64],
            request_id=request_id,
            details={"role": principal.role.value},
        )
    raise Forbidden()


async def check_login_rate(runtime: Runtime, username: str) -> None:
    """Refuse a username that failed too often this minute (keyed hash: no name in Redis)."""
    key = keyed_hash(runtime.secrets.master.derive("multimed/ratelimit/v1"), username.strip().lower())
    if await runtime.limiter.hit(f"login:{key}") > runtime.settings.login_attempts_per_minute:
        raise TooManyAttempts()
