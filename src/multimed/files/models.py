"""Medical files and their versions."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, Column, LargeBinary, UniqueConstraint
from sqlmodel import Field, SQLModel

from multimed.core.columns import fk_field, id_field, timestamp_field


class FileKind(enum.StrEnum):
    PDF = "PDF"
    DICOM = "DICOM"
    AUDIO = "AUDIO"


class FileStatus(enum.StrEnum):
    STORED = "STORED"
    PROCESSING = "PROCESSING"
    PROCESSED = "PROCESSED"
    FAILED = "FAILED"


class MedicalFile(SQLModel, table=True):
    """One version of one logical file of one patient."""

    __tablename__ = "files"
    __table_args__ = (
        UniqueConstraint("patient_id", "logical_key", "version"),
        CheckConstraint("kind IN ('PDF','DICOM','AUDIO')", name="kind_known"),
        CheckConstraint("version >= 1", name="version_positive"),
    )

    id: uuid.UUID = id_field()
    organization_id: uuid.UUID = fk_field("organizations.id")
    patient_id: uuid.UUID = fk_field("patients.id")
    kind: str = Field(max_length=8)
    content_type: str = Field(max_length=100)
    size_bytes: int = Field(sa_column=Column(BigInteger, nullable=False))
    sha256: str = Field(max_length=64, index=True)
    blob_key: str = Field(max_length=200, unique=True)
    wrapped_key: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    key_id: str = Field(max_length=32)
    version: int
    # Keyed hash of the logical name: versions match without storing a name that may identify someone.
    logical_key: str = Field(max_length=64)
    # The uploader's filename may hold a patient name: kept only encrypted.
    original_name_enc: bytes | None = Field(default=None, sa_column=Column(LargeBinary, nullable=True))
    uploaded_by: uuid.UUID = fk_field("users.id")
    uploaded_at: datetime = timestamp_field(index=True)
    status: str = Field(default=FileStatus.STORED.value, max_length=16)
    # The released, de-identified variant (set only after the release gate passed).
    deid_blob_key: str | None = Field(default=None, max_length=200, unique=True)
    deid_wrapped_key: bytes | None = Field(default=None, sa_column=Column(LargeBinary, nullable=True))
    deid_key_id: str | None = Field(default=None, max_length=32)
    deid_content_type: str | None = Field(default=None, max_length=100)
