"""Jobs and their stored state."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Column
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

from multimed.core.columns import fk_field, id_field, timestamp_field


class JobKind(enum.StrEnum):
    PROCESS_FILE = "PROCESS_FILE"
    SUMMARIZE = "SUMMARIZE"


class JobStatus(enum.StrEnum):
    QUEUED = "QUEUED"
    RUNNING = "RUNNING"
    SUCCEEDED = "SUCCEEDED"
    FAILED = "FAILED"
    CANCELLED = "CANCELLED"


class JobStage(enum.StrEnum):
    VALIDATE = "VALIDATE"
    DEIDENTIFY = "DEIDENTIFY"
    EXTRACT = "EXTRACT"
    ANALYZE = "ANALYZE"
    SUMMARIZE = "SUMMARIZE"
    NOTIFY = "NOTIFY"


class Job(SQLModel, table=True):
    __tablename__ = "jobs"

    id: uuid.UUID = id_field()
    organization_id: uuid.UUID = fk_field("organizations.id")
    patient_id: uuid.UUID = fk_field("patients.id")
    file_id: uuid.UUID | None = fk_field("files.id", nullable=True)
    kind: str = Field(max_length=16)
    status: str = Field(default=JobStatus.QUEUED.value, max_length=16, index=True)
    stage: str | None = Field(default=None, max_length=16)
    progress: float = 0.0
    error_code: str | None = Field(default=None, max_length=64)
    error_message: str | None = Field(default=None, max_length=500)
    # What the job was asked to do beyond its file (a summary's requested file ids); never patient data.
    params: dict[str, Any] = Field(
        default_factory=dict, sa_column=Column(JSONB, nullable=False, server_default="{}")
    )
    # Seconds spent in each stage ({"EXTRACT": 3.2, ...}), for operators and the benchmarks.
    stage_seconds: dict[str, float] = Field(
        default_factory=dict, sa_column=Column(JSONB, nullable=False, server_default="{}")
    )
    created_by: uuid.UUID = fk_field("users.id")
    created_at: datetime = timestamp_field()
    started_at: datetime | None = timestamp_field(nullable=True)
    finished_at: datetime | None = timestamp_field(nullable=True)
