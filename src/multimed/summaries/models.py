"""Stored summaries: immutable rows (a trigger refuses UPDATE); a new summary is a new version."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

from multimed.core.columns import fk_field, id_field, timestamp_field


class Summary(SQLModel, table=True):
    """One summary of one patient. `sections` is the structured form (API.md); `text` and `html` render it."""

    __tablename__ = "summaries"
    __table_args__ = (
        UniqueConstraint("patient_id", "version"),
        Index("ix_summaries_org_created", "organization_id", "created_at", "id"),
        Index("ix_summaries_patient_created", "patient_id", "created_at", "id"),
    )

    id: uuid.UUID = id_field()
    organization_id: uuid.UUID = fk_field("organizations.id", index=False)
    patient_id: uuid.UUID = fk_field("patients.id", index=False)
    job_id: uuid.UUID | None = fk_field("jobs.id", nullable=True)
    version: int
    has_critical: bool = Field(default=False, index=True)
    sections: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSONB, nullable=False))
    text: str = Field(sa_column=Column(Text, nullable=False))
    html: str = Field(sa_column=Column(Text, nullable=False))
    source_file_ids: list[str] = Field(default_factory=list, sa_column=Column(JSONB, nullable=False))
    # The patient's files left out because they were not analyzed, with why (summaries/coverage.py): a
    # summary is never silently incomplete.
    uncovered_files: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSONB, nullable=False, server_default="[]")
    )
    summarizer: str = Field(max_length=128)
    seconds: float = 0.0
    created_at: datetime = timestamp_field()


class SummaryFinding(SQLModel, table=True):
    """The findings a summary states (its `findings` field), in statement order."""

    __tablename__ = "summary_findings"

    summary_id: uuid.UUID = Field(foreign_key="summaries.id", primary_key=True)
    finding_id: uuid.UUID = Field(foreign_key="findings.id", primary_key=True, index=True)
    position: int
