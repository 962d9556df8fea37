"""Column shapes every table shares, so types and defaults stay uniform."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import DateTime
from sqlmodel import Field

from multimed.core.db import utcnow


def id_field() -> Any:
    """A UUID primary key generated in Python, so ids are known before flush."""
    return Field(default_factory=uuid.uuid4, primary_key=True)


def timestamp_field(*, nullable: bool = False, index: bool = False) -> Any:
    """A timezone-aware timestamp; non-nullable ones default to now."""
    if nullable:
        return Field(default=None, sa_type=DateTime(timezone=True), nullable=True, index=index)
    return Field(default_factory=utcnow, sa_type=DateTime(timezone=True), nullable=False, index=index)


def fk_field(target: str, *, nullable: bool = False, index: bool = True) -> Any:
    """A UUID foreign key, indexed by default."""
    return Field(default=None if nullable else ..., foreign_key=target, nullable=nullable, index=index)


__all__ = ["datetime", "fk_field", "id_field", "timestamp_field"]
