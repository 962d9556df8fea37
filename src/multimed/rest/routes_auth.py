"""POST /auth/token: form username + password → access and refresh tokens."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from multimed.access import check_login_rate
from multimed.auth import service as auth_service
from multimed.core.db import transaction
from multimed.core.errors import InvalidInput
from multimed.observability.logging import request_id_var
from multimed.runtime import Runtime


def token_body(pair: auth_service.TokenPair) -> dict[str, object]:
    return {
        "access_token": pair.access_token,
        "token_type": "bearer",
        "expires_in": pair.expires_in,
        "refresh_token": pair.refresh_token,
    }


async def token(request: Request) -> Response:
    runtime: Runtime = request.app.state.runtime
    form = await request.form(max_files=0, max_fields=4, max_part_size=4096)
    username, password = form.get("username"), form.get("password")
    if not isinstance(username, str) or not isinstance(password, str) or not username or not password:
        raise InvalidInput("form fields 'username' and 'password' are required", code="bad_request")
    await check_login_rate(runtime, username)
    async with transaction(runtime.sessions) as session:
        pair = await auth_service.login(
            session=session,
            username=username,
            password=password,
            cfg=runtime.token_settings,
            request_id=request_id_var.get(),
        )
    return JSONResponse(token_body(pair))


routes = [Route("/auth/token", token, methods=["POST"])]
