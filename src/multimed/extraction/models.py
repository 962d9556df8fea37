"""Extracted text of a file version: de-identified only, with its position map."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Column, LargeBinary, Text
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

from multimed.core.columns import fk_field, id_field, timestamp_field


class ExtractedText(SQLModel, table=True):
    __tablename__ = "extracted_texts"

    id: uuid.UUID = id_field()
    file_id: uuid.UUID = fk_field("files.id")
    engine: str = Field(max_length=128)
    ocr_engine: str | None = Field(default=None, max_length=128)
    # Only the released (de-identified) text is ever stored; positions index into it.
    text: str = Field(sa_column=Column(Text, nullable=False))
    positions: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSONB, nullable=False))
    pages: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSONB, nullable=False))
    seconds: float = 0.0
    created_at: datetime = timestamp_field()


class DicomSummaryRow(SQLModel, table=True):
    """Metadata, pixel statistics and the encrypted PNG preview of a de-identified DICOM file version."""

    __tablename__ = "dicom_summaries"

    id: uuid.UUID = id_field()
    file_id: uuid.UUID = fk_field("files.id")
    meta: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSONB, nullable=False))
    pixel_stats: dict[str, float] | None = Field(default=None, sa_column=Column(JSONB, nullable=True))
    preview_blob_key: str | None = Field(default=None, max_length=200)
    preview_wrapped_key: bytes | None = Field(default=None, sa_column=Column(LargeBinary, nullable=True))
    preview_key_id: str | None = Field(default=None, max_length=32)
    seconds: float = 0.0
    created_at: datetime = timestamp_field()
