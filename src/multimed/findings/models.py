"""Stored findings: one row per finding of one file version, with the citation that proves it."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, Column, Index, Text
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

from multimed.core.columns import fk_field, id_field, timestamp_field


class Finding(SQLModel, table=True):
    """A lab value, vital sign, condition or imaging study read from one de-identified file version.

    The citation columns locate the evidence: `char_start`/`char_end` index the file's extracted
    (de-identified) text and `quote` is that text at the span; `page` for PDFs, seconds for audio.
    `observed_at` is the document's own date where it states one (already shifted by de-identification),
    else the upload time.
    """

    __tablename__ = "findings"
    __table_args__ = (
        CheckConstraint("kind IN ('LAB','VITAL','CONDITION','IMAGING')", name="kind_known"),
        CheckConstraint("severity IN ('CRITICAL','ABNORMAL','NORMAL')", name="severity_known"),
        Index("ix_findings_org_observed", "organization_id", "observed_at", "id"),
        Index("ix_findings_patient_observed", "patient_id", "observed_at", "id"),
    )

    id: uuid.UUID = id_field()
    organization_id: uuid.UUID = fk_field("organizations.id", index=False)
    patient_id: uuid.UUID = fk_field("patients.id", index=False)
    file_id: uuid.UUID = fk_field("files.id")
    kind: str = Field(max_length=16)
    name: str = Field(max_length=128)
    code: str | None = Field(default=None, max_length=32)
    value: float | None = None
    value_text: str | None = Field(default=None, max_length=64)
    qualifier: str | None = Field(default=None, max_length=4)
    unit: str | None = Field(default=None, max_length=32)
    reference_low: float | None = None
    reference_high: float | None = None
    flag: str | None = Field(default=None, max_length=16)
    severity: str = Field(max_length=16, index=True)
    negated: bool = False
    specimen: str | None = Field(default=None, max_length=64)
    observed_at: datetime = timestamp_field()
    page: int | None = None
    start_seconds: float | None = None
    end_seconds: float | None = None
    char_start: int | None = None
    char_end: int | None = None
    quote: str = Field(sa_column=Column(Text, nullable=False))
    details: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSONB, nullable=False))
    created_at: datetime = timestamp_field()


class FileAnalysis(SQLModel, table=True):
    """That a file version was analyzed, stored with its findings in one transaction.

    Zero findings is a result too: without this row a text whose analysis failed and one that has nothing to
    report look alike, and a summary would silently miss the first.
    """

    __tablename__ = "file_analyses"

    file_id: uuid.UUID = Field(foreign_key="files.id", primary_key=True)
    organization_id: uuid.UUID = fk_field("organizations.id", index=False)
    findings: int
    analyzed_at: datetime = timestamp_field()
