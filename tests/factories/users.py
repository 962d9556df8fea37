"""Organizations with one user per role, and their access tokens."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from multimed.auth import service as auth_service
from multimed.auth.models import Role, User
from multimed.auth.principal import Principal
from multimed.core.db import transaction
from multimed.runtime import Runtime

PASSWORD = "correct horse battery staple"


@dataclass
class Org:
    id: uuid.UUID
    users: dict[Role, User]
    tokens: dict[Role, str]

    def headers(self, role: Role) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[role]}"}

    def principal(self, role: Role) -> Principal:
        """The caller a token of this role decodes to (for resolvers called without HTTP)."""
        return Principal(user_id=self.users[role].id, organization_id=self.id, role=role)


async def make_org(runtime: Runtime) -> Org:
    """A fresh organization with an ADMIN, CLINICIAN, ANALYST and AUDITOR, each logged in."""
    suffix = uuid.uuid4().hex[:8]
    users: dict[Role, User] = {}
    tokens: dict[Role, str] = {}
    async with transaction(runtime.sessions) as session:
        org = await auth_service.get_or_create_organization(session=session, name=f"Hospital {suffix}")
        for role in Role:
            users[role] = await auth_service.create_user(
                session=session,
                organization_id=org.id,
                username=f"{role.value.lower()}-{suffix}",
                password=PASSWORD,
                role=role,
            )
    for role, user in users.items():
        async with transaction(runtime.sessions) as session:
            pair = await auth_service.login(
                session=session, username=user.username, password=PASSWORD, cfg=runtime.token_settings
            )
        tokens[role] = pair.access_token
    return Org(org.id, users, tokens)
