"""Keyset pagination on stable (timestamp, id) keys with opaque cursors."""

from __future__ import annotations

import base64
import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, func, literal, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from multimed.core.errors import InvalidInput

T = TypeVar("T")


@dataclass(frozen=True)
class Cursor:
    at: datetime
    id: str

    def encode(self) -> str:
        """An opaque, URL-safe cursor."""
        raw = json.dumps({"at": self.at.isoformat(), "id": self.id}).encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @classmethod
    def decode(cls, text: str) -> Cursor:
        """The cursor behind an opaque string, or InvalidInput."""
        try:
            data = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
            return cls(datetime.fromisoformat(data["at"]), str(data["id"]))
        except (ValueError, KeyError, TypeError) as exc:
            raise InvalidInput("malformed cursor", code="invalid_cursor") from exc


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    total: int
    has_next: bool


def _typed_id(raw: str, id_col: Any) -> Any:
    if id_col.type.python_type is uuid.UUID:
        try:
            return uuid.UUID(raw)
        except ValueError as exc:
            raise InvalidInput("malformed cursor", code="invalid_cursor") from exc
    return raw


async def fetch_page(
    session: AsyncSession,
    query: Select[Any],
    *,
    at_col: Any,
    id_col: Any,
    first: int,
    after: str | None,
    descending: bool = False,
) -> Page[Any]:
    """One page of a query ordered by (at_col, id_col); asks one row more to know if another page exists.

    The total rides along as an uncorrelated scalar subquery (PostgreSQL evaluates it once), so a page costs
    one round trip; only an empty page after a cursor needs a second statement to learn the total.
    """
    counted = query.order_by(None).subquery()
    total_column = select(func.count()).select_from(counted).scalar_subquery().label("page_total")
    if after is not None:
        cursor = Cursor.decode(after)
        key = tuple_(at_col, id_col)
        value = tuple_(literal(cursor.at, at_col.type), literal(_typed_id(cursor.id, id_col), id_col.type))
        query = query.where(key < value if descending else key > value)
    order = (at_col.desc(), id_col.desc()) if descending else (at_col, id_col)
    rows = (await session.execute(query.add_columns(total_column).order_by(*order).limit(first + 1))).all()
    if rows:
        total = rows[0][-1]
    elif after is None:
        total = 0
    else:
        total = (await session.execute(select(func.count()).select_from(counted))).scalar_one()
    items = [row[0] for row in rows]
    return Page(items[:first], int(total), len(items) > first)
