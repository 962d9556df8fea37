"""Login attempt limits: a fixed one-minute window, in Redis for a cluster or in memory for one process."""

from __future__ import annotations

import time
from abc import ABC, abstractmethod
from collections import OrderedDict

from redis.asyncio import Redis


class RateLimiter(ABC):
    @abstractmethod
    async def hit(self, key: str) -> int:
        """Count one attempt under key in the current minute; returns the count so far."""


class MemoryRateLimiter(RateLimiter):
    def __init__(self, max_keys: int = 10_000) -> None:
        self._counts: OrderedDict[tuple[str, int], int] = OrderedDict()
        self._max_keys = max_keys

    async def hit(self, key: str) -> int:
        slot = (key, int(time.time() // 60))
        self._counts[slot] = self._counts.get(slot, 0) + 1
        self._counts.move_to_end(slot)
        while len(self._counts) > self._max_keys:
            self._counts.popitem(last=False)
        return self._counts[slot]


class RedisRateLimiter(RateLimiter):
    def __init__(self, redis: Redis) -> None:
        self._redis = redis

    async def hit(self, key: str) -> int:
        slot = f"multimed:rl:{key}:{int(time.time() // 60)}"
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.incr(slot)
            pipe.expire(slot, 120)
            count, _ = await pipe.execute()
        return int(count)
