"""Relay plumbing: global ids, the Node interface and generic connections."""

from __future__ import annotations

import base64
import uuid
from collections.abc import Callable, Iterable
from typing import Any, Generic, TypeVar

import strawberry

from multimed.core.errors import InvalidInput
from multimed.core.pagination import Cursor, Page

T = TypeVar("T")
M = TypeVar("M")


def to_global_id(type_name: str, raw_id: uuid.UUID | int | str) -> strawberry.ID:
    """`base64("Type:id")`, opaque to clients."""
    return strawberry.ID(base64.urlsafe_b64encode(f"{type_name}:{raw_id}".encode()).decode().rstrip("="))


def from_global_id(global_id: str) -> tuple[str, str]:
    """(type name, raw id) of a global id, or InvalidInput."""
    try:
        decoded = base64.urlsafe_b64decode(global_id + "=" * (-len(global_id) % 4)).decode()
        type_name, _, raw = decoded.partition(":")
        if not type_name or not raw:
            raise ValueError(global_id)
        return type_name, raw
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidInput("malformed id", code="invalid_id") from exc


def uuid_of(global_id: str, expected_type: str) -> uuid.UUID:
    """The UUID inside a global id of the expected type."""
    type_name, raw = from_global_id(global_id)
    try:
        if type_name != expected_type:
            raise ValueError(type_name)
        return uuid.UUID(raw)
    except ValueError as exc:
        raise InvalidInput(f"id is not a {expected_type} id", code="invalid_id") from exc


@strawberry.interface(description="An object with a globally unique id.")
class Node:
    id: strawberry.ID


def _edge_cursor(self: Edge[Any]) -> str:
    return self.encoded_cursor()


@strawberry.type
class Edge(Generic[T]):
    cursor: str = strawberry.field(resolver=_edge_cursor)
    node: T
    _row: strawberry.Private[object]
    _key: strawberry.Private[Callable[[Any], Cursor]]

    def encoded_cursor(self) -> str:
        """Encoded when asked for: most pages are read without their edges' cursors."""
        return self._key(self._row).encode()


@strawberry.type
class PageInfo:
    has_next_page: bool
    _last: strawberry.Private[Edge[Any] | None]

    @strawberry.field
    def end_cursor(self) -> str | None:
        return self._last.encoded_cursor() if self._last is not None else None


@strawberry.type
class Connection(Generic[T]):
    edges: list[Edge[T]]
    page_info: PageInfo
    total_count: int


def connection(
    rows: Iterable[M], *, total: int, has_next: bool, encode: Callable[[M], T], key: Callable[[M], Cursor]
) -> Connection[T]:
    """A connection from one page of rows and their keyset cursors."""
    edges = [Edge(node=encode(row), _row=row, _key=key) for row in rows]
    return Connection(
        edges=edges,
        page_info=PageInfo(has_next_page=has_next, _last=edges[-1] if edges else None),
        total_count=total,
    )


def page_connection(page: Page[M], *, encode: Callable[[M], T], key: Callable[[M], Cursor]) -> Connection[T]:
    """The connection of one page from a service's keyset pagination."""
    return connection(page.items, total=page.total, has_next=page.has_next, encode=encode, key=key)
