"""The query cache chosen by settings: Redis when configured, else in-process; or none at all."""

from __future__ import annotations

from redis.asyncio import Redis

from multimed.cache.keys import KEY_PURPOSE
from multimed.cache.memory_store import MemoryCacheStore
from multimed.cache.query_cache import QueryCache
from multimed.cache.redis_store import RedisCacheStore
from multimed.cache.store import CacheStore
from multimed.core.keys import Secrets
from multimed.core.settings import Settings
from multimed.observability.metrics import Metrics


def build_query_cache(
    settings: Settings, *, secrets: Secrets, redis: Redis | None, metrics: Metrics
) -> QueryCache:
    """Shared through Redis when the process has one (API replicas and workers see one generation)."""
    store: CacheStore | None = None
    if settings.cache_enabled:
        store = (
            RedisCacheStore(redis, prefix=settings.cache_prefix)
            if redis is not None
            else MemoryCacheStore(max_bytes=settings.cache_memory_max_bytes)
        )
    return QueryCache(
        store,
        secret=secrets.master.derive(KEY_PURPOSE),
        ttl_seconds=settings.cache_ttl_seconds,
        metrics=metrics,
    )
