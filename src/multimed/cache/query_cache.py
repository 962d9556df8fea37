"""Read-through page cache for the summaries and findings queries, and its invalidation after writes."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Awaitable, Callable, Mapping
from typing import TypeVar

from sqlmodel import SQLModel

from multimed.cache.codec import decode_page, encode_page
from multimed.cache.keys import page_key_parts
from multimed.cache.store import CacheStore, CacheUnavailable
from multimed.core.pagination import Page
from multimed.observability.metrics import Metrics

log = logging.getLogger(__name__)
M = TypeVar("M", bound=SQLModel)


class QueryCache:
    """Pages keyed by organization, its generation, role, query name and hashed arguments.

    Correctness rests on one ordering: a reader takes the generation BEFORE it queries the database, and a
    writer bumps the generation AFTER its transaction commits. A reader that raced a write may store what
    it read under the old generation, but every reader after the bump asks for the new one, so a page
    written before a commit is never served after it. The TTL is only a safety net (a lost bump).

    `store=None` disables caching (every call loads); the benchmark measures both.
    """

    def __init__(
        self, store: CacheStore | None, *, secret: bytes, ttl_seconds: int, metrics: Metrics
    ) -> None:
        self.store = store
        self._secret = secret
        self.ttl_seconds = ttl_seconds
        self._metrics = metrics

    @property
    def enabled(self) -> bool:
        return self.store is not None

    async def lookup(
        self, *, query: str, organization_id: uuid.UUID, role: str, arguments: Mapping[str, object]
    ) -> tuple[str, bytes | None] | None:
        """The entry's key under the organization's current generation and its stored bytes (None on a
        miss, counted as a hit or a miss of `query`); None when caching is off or the generation cannot be
        read. Call it BEFORE reading the database (see the class docstring) and store under that key."""
        if self.store is None:
            return None
        head, tail = page_key_parts(
            secret=self._secret, organization_id=organization_id, role=role, query=query, arguments=arguments
        )
        found = await self.store.lookup(organization_id, head, tail)
        if found is not None:
            counter = self._metrics.cache_hits if found[1] is not None else self._metrics.cache_misses
            counter.labels(query).inc()
        return found

    async def put(self, key: str, value: bytes) -> None:
        assert self.store is not None
        await self.store.set(key, value, self.ttl_seconds)

    async def page(
        self,
        *,
        query: str,
        organization_id: uuid.UUID,
        role: str,
        arguments: Mapping[str, object],
        model: type[M],
        load: Callable[[], Awaitable[Page[M]]],
    ) -> Page[M]:
        """The cached page, or `load()` stored for the next caller. Permissions are checked by the caller
        on every request: the cache only spares the database, never an authorization."""
        found = await self.lookup(
            query=query, organization_id=organization_id, role=role, arguments=arguments
        )
        if found is None:
            return await load()
        key, cached = found
        if cached is not None:
            try:
                return decode_page(cached, model)
            except (ValueError, KeyError, TypeError):
                log.warning("cache entry unreadable", extra={"query": query})  # e.g. written by older code
        page = await load()
        await self.put(key, encode_page(page))
        return page

    async def invalidate(self, organization_id: uuid.UUID) -> None:
        """Retire every cached page of the organization. Call after the transaction that wrote summaries or
        findings committed; called before, a reader could cache the old rows under the new generation."""
        if self.store is None:
            return
        try:
            await self.store.bump(organization_id)
        except CacheUnavailable as exc:
            # The write is committed and must not fail for the cache; pages expire within the TTL.
            log.error("cache invalidation failed", extra={"error": str(exc)})
