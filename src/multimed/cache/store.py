"""The storage a query cache needs: opaque values by key, and one generation counter per organization."""

from __future__ import annotations

import uuid
from abc import ABC, abstractmethod


class CacheUnavailable(Exception):
    """The store could not be reached (only a shared store can fail)."""


class CacheStore(ABC):
    """Bytes by key with a TTL, plus per-organization generation counters.

    The generation is part of every key, so bumping it retires all of an organization's entries at once
    without scanning for them; the old entries age out by TTL (Redis) or LRU eviction (memory).
    """

    @abstractmethod
    async def get(self, key: str) -> bytes | None:
        """The value, or None when absent, expired or the store cannot answer (a miss, never an error)."""

    @abstractmethod
    async def set(self, key: str, value: bytes, ttl_seconds: int) -> None:
        """Store a value for at most ttl_seconds (best effort: a failure only costs a later miss)."""

    @abstractmethod
    async def generation(self, organization_id: uuid.UUID) -> int | None:
        """The organization's current generation (0 before the first bump); None when it cannot be read,
        and then the cache is bypassed: serving or storing under a guessed generation could be stale."""

    @abstractmethod
    async def bump(self, organization_id: uuid.UUID) -> int:
        """Advance the organization's generation; returns the new one, or raises CacheUnavailable."""

    async def lookup(
        self, organization_id: uuid.UUID, head: str, tail: str
    ) -> tuple[str, bytes | None] | None:
        """The key `head + current generation + tail` and its value, or None when the generation cannot be
        read. A shared store does it in one round trip (the generation read first, as the ordering rule of
        QueryCache requires)."""
        generation = await self.generation(organization_id)
        if generation is None:
            return None
        key = f"{head}{generation}{tail}"
        return key, await self.get(key)
