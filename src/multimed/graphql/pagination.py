"""Page size rules shared by every connection field."""

from __future__ import annotations

from multimed.core.errors import InvalidInput
from multimed.graphql.context import Info

DEFAULT_PAGE = 20


def page_size(info: Info, first: int | None) -> int:
    """`first` within 1..page_size_max, default 20."""
    limit = info.context.runtime.settings.page_size_max
    size = DEFAULT_PAGE if first is None else first
    if size < 1 or size > limit:
        raise InvalidInput(f"first must be between 1 and {limit}", code="invalid_page_size")
    return size
