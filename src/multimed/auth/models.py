"""Organizations, users and refresh tokens."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint
from sqlmodel import Field, SQLModel

from multimed.core.columns import fk_field, id_field, timestamp_field


class Role(enum.StrEnum):
    ADMIN = "ADMIN"
    CLINICIAN = "CLINICIAN"
    ANALYST = "ANALYST"
    AUDITOR = "AUDITOR"


class Organization(SQLModel, table=True):
    __tablename__ = "organizations"

    id: uuid.UUID = id_field()
    name: str = Field(max_length=200, unique=True)
    created_at: datetime = timestamp_field()


class User(SQLModel, table=True):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint("role IN ('ADMIN','CLINICIAN','ANALYST','AUDITOR')", name="role_known"),
    )

    id: uuid.UUID = id_field()
    organization_id: uuid.UUID = fk_field("organizations.id")
    username: str = Field(max_length=150, unique=True)
    password_hash: str = Field(max_length=255)
    role: str = Field(max_length=16)
    is_active: bool = True
    created_at: datetime = timestamp_field()


class RefreshToken(SQLModel, table=True):
    """A single-use refresh token; only its SHA-256 is stored. One family per login."""

    __tablename__ = "refresh_tokens"

    id: uuid.UUID = id_field()
    user_id: uuid.UUID = fk_field("users.id")
    family_id: uuid.UUID = Field(index=True)
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = timestamp_field()
    expires_at: datetime = timestamp_field()
    used_at: datetime | None = timestamp_field(nullable=True)
    revoked_at: datetime | None = timestamp_field(nullable=True)
