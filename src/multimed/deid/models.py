"""Per-patient surrogate numbering and per-file de-identification reports."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Column, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

from multimed.core.columns import fk_field, id_field, timestamp_field


class Surrogate(SQLModel, table=True):
    """One identifier of one patient, known only by a keyed hash, and the number it is printed with."""

    __tablename__ = "surrogates"
    __table_args__ = (
        UniqueConstraint("patient_id", "kind", "value_key"),
        UniqueConstraint("patient_id", "kind", "number"),
    )

    id: uuid.UUID = id_field()
    patient_id: uuid.UUID = fk_field("patients.id")
    kind: str = Field(max_length=16)
    value_key: str = Field(max_length=64)
    number: int
    created_at: datetime = timestamp_field()


class DeidReport(SQLModel, table=True):
    """What de-identification did to one file version: counts and settings, never values."""

    __tablename__ = "deid_reports"

    id: uuid.UUID = id_field()
    file_id: uuid.UUID = fk_field("files.id")
    method: str = Field(max_length=128)
    detector: str = Field(max_length=128)
    profile_options: list[str] = Field(default_factory=list, sa_column=Column(JSONB, nullable=False))
    entity_counts: dict[str, int] = Field(default_factory=dict, sa_column=Column(JSONB, nullable=False))
    dicom_actions: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSONB, nullable=False))
    pixel_boxes: int = 0
    created_at: datetime = timestamp_field()
