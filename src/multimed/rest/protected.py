"""`@protected(permission)`: REST endpoints declare what they need; the check lives in one place."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import wraps

from starlette.requests import Request
from starlette.responses import Response

from multimed.access import authenticate, require
from multimed.auth.policy import Permission
from multimed.auth.principal import Principal
from multimed.core.errors import DomainError
from multimed.observability.logging import request_id_var
from multimed.rest.unread_body import drop_unread_body
from multimed.runtime import Runtime

Handler = Callable[[Request, Runtime, Principal], Awaitable[Response]]


def protected(permission: Permission) -> Callable[[Handler], Callable[[Request], Awaitable[Response]]]:
    """Wrap a handler so it runs only for an authenticated caller whose role holds the permission."""

    def decorate(handler: Handler) -> Callable[[Request], Awaitable[Response]]:
        @wraps(handler)
        async def endpoint(request: Request) -> Response:
            runtime: Runtime = request.app.state.runtime
            try:
                principal = await require(
                    runtime,
                    authenticate(runtime, request.headers.get("authorization")),
                    permission,
                    operation=f"rest:{handler.__name__}",
                    request_id=request_id_var.get(),
                )
            except DomainError:
                await drop_unread_body(request)  # refused from the headers: the body is still unread
                raise
            return await handler(request, runtime, principal)

        return endpoint

    return decorate
