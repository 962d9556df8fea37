"""Redis store: one cache shared by every API process, bumped by workers on other machines."""

from __future__ import annotations

import logging
import uuid

from redis.asyncio import Redis
from redis.exceptions import RedisError

from multimed.cache.store import CacheStore, CacheUnavailable

log = logging.getLogger(__name__)


# The generation, then the value under the key built with it: one round trip instead of two. The value key
# is derived inside the script, so it is not declared in KEYS (this store assumes a single Redis, not a
# cluster, like the event bus and the rate limiter).
_LOOKUP = """
local generation = redis.call('GET', KEYS[1]) or '0'
local key = ARGV[1] .. generation .. ARGV[2]
return {key, redis.call('GET', ARGV[3] .. key)}
"""


class RedisCacheStore(CacheStore):
    """Values under `<prefix>:<key>` with an expiry; generations under `<prefix>:gen:<organization>` (INCR).

    Reads and writes degrade to misses when Redis fails: the database still answers. A failed bump raises
    CacheUnavailable; QueryCache.invalidate logs it, and the TTL bounds how long anything can be stale.
    """

    def __init__(self, redis: Redis, *, prefix: str) -> None:
        self.redis = redis
        self.prefix = prefix
        self._lookup = redis.register_script(_LOOKUP)

    def _generation_key(self, organization_id: uuid.UUID) -> str:
        return f"{self.prefix}:gen:{organization_id}"

    async def get(self, key: str) -> bytes | None:
        try:
            value = await self.redis.get(f"{self.prefix}:{key}")
        except RedisError as exc:
            log.warning("cache read failed", extra={"error": type(exc).__name__})
            return None
        return bytes(value) if value is not None else None

    async def set(self, key: str, value: bytes, ttl_seconds: int) -> None:
        try:
            await self.redis.set(f"{self.prefix}:{key}", value, ex=ttl_seconds)
        except RedisError as exc:
            log.warning("cache write failed", extra={"error": type(exc).__name__})

    async def generation(self, organization_id: uuid.UUID) -> int | None:
        try:
            raw = await self.redis.get(self._generation_key(organization_id))
        except RedisError as exc:
            log.warning("cache generation read failed", extra={"error": type(exc).__name__})
            return None
        return int(raw) if raw is not None else 0

    async def bump(self, organization_id: uuid.UUID) -> int:
        try:
            return int(await self.redis.incr(self._generation_key(organization_id)))
        except RedisError as exc:
            raise CacheUnavailable(type(exc).__name__) from exc

    async def lookup(
        self, organization_id: uuid.UUID, head: str, tail: str
    ) -> tuple[str, bytes | None] | None:
        try:
            key, value = await self._lookup(
                keys=[self._generation_key(organization_id)], args=[head, tail, f"{self.prefix}:"]
            )
        except RedisError as exc:
            log.warning("cache lookup failed", extra={"error": type(exc).__name__})
            return None
        return (key.decode() if isinstance(key, bytes) else str(key)), (
            bytes(value) if value is not None else None
        )
