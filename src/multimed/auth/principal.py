"""Who is calling: decoded from a verified access token."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from multimed.auth.models import Role


@dataclass(frozen=True)
class Principal:
    user_id: uuid.UUID
    organization_id: uuid.UUID
    role: Role
