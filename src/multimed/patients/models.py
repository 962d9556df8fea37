"""Patients: a pseudonym token per organization, never a plain identifier."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from multimed.core.columns import fk_field, id_field, timestamp_field


class Patient(SQLModel, table=True):
    __tablename__ = "patients"
    __table_args__ = (UniqueConstraint("organization_id", "token"),)

    id: uuid.UUID = id_field()
    organization_id: uuid.UUID = fk_field("organizations.id")
    token: str = Field(max_length=64)
    created_at: datetime = timestamp_field()
