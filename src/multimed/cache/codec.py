"""Pages of table rows as JSON bytes: plain data in the cache, never pickles (Redis is shared)."""

from __future__ import annotations

import json
from typing import TypeVar

from sqlmodel import SQLModel

from multimed.core.pagination import Page

M = TypeVar("M", bound=SQLModel)


def encode_page(page: Page[M]) -> bytes:
    """The rows (every column), the total and whether another page follows."""
    body = {
        "items": [row.model_dump(mode="json") for row in page.items],
        "total": page.total,
        "has_next": page.has_next,
    }
    return json.dumps(body, separators=(",", ":")).encode()


def decode_page(data: bytes, model: type[M]) -> Page[M]:
    """Detached rows rebuilt and validated (UUIDs, datetimes) from encode_page's bytes; ValueError if bad."""
    body = json.loads(data)
    return Page(
        [model.model_validate(item) for item in body["items"]], int(body["total"]), bool(body["has_next"])
    )
