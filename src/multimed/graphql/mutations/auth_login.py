"""login and refreshToken."""

from __future__ import annotations

from typing import Annotated

import strawberry

from multimed.access import check_login_rate
from multimed.auth import service as auth_service
from multimed.core.db import transaction
from multimed.core.errors import DomainError
from multimed.graphql.context import Info
from multimed.graphql.errors import AuthError, RateLimitedError, ValidationError, to_error
from multimed.graphql.users.types import UserType


@strawberry.type
class LoginSuccess:
    access_token: str
    refresh_token: str
    token_type: str
    expires_in: int
    user: UserType


LoginResult = Annotated[
    LoginSuccess | AuthError | RateLimitedError | ValidationError, strawberry.union("LoginResult")
]


def _success(pair: auth_service.TokenPair) -> LoginSuccess:
    return LoginSuccess(
        access_token=pair.access_token,
        refresh_token=pair.refresh_token,
        token_type="bearer",
        expires_in=pair.expires_in,
        user=UserType.from_model(pair.user),
    )


@strawberry.type
class AuthMutations:
    @strawberry.mutation(description="Exchange credentials for an access token and a refresh token.")
    async def login(self, info: Info, username: str, password: str) -> LoginResult:
        runtime = info.context.runtime
        try:
            await check_login_rate(runtime, username)
            async with transaction(runtime.sessions) as session:
                pair = await auth_service.login(
                    session=session,
                    username=username,
                    password=password,
                    cfg=runtime.token_settings,
                    request_id=info.context.request_id,
                )
        except DomainError as exc:
            return to_error(exc)  # type: ignore[return-value]
        return _success(pair)

    @strawberry.mutation(description="Rotate a refresh token; reusing an old one revokes the session.")
    async def refresh_token(self, info: Info, refresh_token: str) -> LoginResult:
        runtime = info.context.runtime
        try:
            async with transaction(runtime.sessions) as session:
                pair = await auth_service.refresh(
                    session=session,
                    refresh_token=refresh_token,
                    cfg=runtime.token_settings,
                    request_id=info.context.request_id,
                )
        except DomainError as exc:
            return to_error(exc)  # type: ignore[return-value]
        return _success(pair)
