"""configureSmtp (ADMIN): the organization's own SMTP server for notification emails."""

from __future__ import annotations

from typing import Annotated

import strawberry

from multimed.auth.policy import Permission
from multimed.core.db import transaction
from multimed.core.errors import DomainError
from multimed.graphql.context import Info
from multimed.graphql.errors import ValidationError, to_error
from multimed.graphql.notifications.types import SmtpSecurityEnum, SmtpSettingsType
from multimed.graphql.permissions import needs
from multimed.notifications import smtp_service
from multimed.notifications.models import SmtpSecurity


@strawberry.input(description="password: null keeps the stored one, an empty string removes it.")
class ConfigureSmtpInput:
    host: str
    port: int
    security: SmtpSecurityEnum  # type: ignore[valid-type]
    from_address: str
    username: str | None = None
    password: str | None = None
    enabled: bool = True


@strawberry.type
class ConfigureSmtpSuccess:
    smtp: SmtpSettingsType


ConfigureSmtpResult = Annotated[
    ConfigureSmtpSuccess | ValidationError, strawberry.union("ConfigureSmtpResult")
]


@strawberry.type
class ConfigureSmtpMutation:
    @strawberry.mutation(
        description="Set the organization's SMTP server (overrides the default; enabled false = no email).",
        # ADMIN-only: managing users is the ADMIN permission that covers organization settings today.
        extensions=needs(Permission.MANAGE_SETTINGS),
    )
    async def configure_smtp(self, info: Info, input: ConfigureSmtpInput) -> ConfigureSmtpResult:
        ctx = info.context
        values = smtp_service.SmtpInput(
            host=input.host,
            port=input.port,
            security=SmtpSecurity(input.security),
            from_address=input.from_address,
            username=input.username,
            password=input.password,
            enabled=input.enabled,
        )
        try:
            async with transaction(ctx.runtime.sessions) as session:
                row = await smtp_service.configure(
                    session=session,
                    organization_id=ctx.user.organization_id,
                    keyring=ctx.runtime.secrets.master,
                    values=values,
                    actor_id=ctx.user.user_id,
                    request_id=ctx.request_id,
                )
        except DomainError as exc:
            return to_error(exc)  # type: ignore[return-value]
        return ConfigureSmtpSuccess(smtp=SmtpSettingsType.from_model(row))
