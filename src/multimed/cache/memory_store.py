"""In-process LRU with TTL: the embedded default, where the API and the job runner share one process."""

from __future__ import annotations

import time
import uuid
from collections import OrderedDict
from collections.abc import Callable

from multimed.cache.store import CacheStore


class MemoryCacheStore(CacheStore):
    """Least-recently-used entries bounded by their total size in bytes, each with an expiry time.

    No lock: every method runs without awaiting, so under asyncio each is atomic.
    """

    def __init__(self, *, max_bytes: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.max_bytes = max_bytes
        self._clock = clock
        self._entries: OrderedDict[str, tuple[float, bytes]] = OrderedDict()
        self._size = 0
        self._generations: dict[uuid.UUID, int] = {}

    @property
    def size_bytes(self) -> int:
        return self._size

    def __len__(self) -> int:
        return len(self._entries)

    async def get(self, key: str) -> bytes | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        expires, value = entry
        if expires <= self._clock():
            self._drop(key)
            return None
        self._entries.move_to_end(key)
        return value

    async def set(self, key: str, value: bytes, ttl_seconds: int) -> None:
        # One page may not crowd out the rest: an entry above an eighth of the budget is not kept.
        if len(value) > self.max_bytes // 8:
            return
        if key in self._entries:
            self._drop(key)
        self._entries[key] = (self._clock() + ttl_seconds, value)
        self._size += len(value)
        while self._size > self.max_bytes and self._entries:
            self._drop(next(iter(self._entries)))

    async def generation(self, organization_id: uuid.UUID) -> int | None:
        return self._generations.get(organization_id, 0)

    async def bump(self, organization_id: uuid.UUID) -> int:
        self._generations[organization_id] = self._generations.get(organization_id, 0) + 1
        return self._generations[organization_id]

    def _drop(self, key: str) -> None:
        _, value = self._entries.pop(key)
        self._size -= len(value)
