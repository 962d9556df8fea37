"""Redis pub/sub: events published by any API or worker process reach subscribers in every API process."""

from __future__ import annotations

import contextlib
import json
from collections.abc import AsyncIterator

from redis.asyncio import Redis
from redis.asyncio.client import PubSub

from multimed.events.bus import EventBus, Message

PREFIX = "multimed:events:"


class RedisEventBus(EventBus):
    name = "redis"

    def __init__(self, redis: Redis) -> None:
        self._redis = redis

    async def publish(self, channel: str, message: Message) -> None:
        await self._redis.publish(PREFIX + channel, json.dumps(message, separators=(",", ":")))

    @contextlib.asynccontextmanager
    async def subscribe(self, channel: str) -> AsyncIterator[AsyncIterator[Message]]:
        pubsub = self._redis.pubsub(ignore_subscribe_messages=True)
        await pubsub.subscribe(PREFIX + channel)  # returns once Redis confirmed: nothing later is missed
        try:
            yield _messages(pubsub)
        finally:
            await pubsub.unsubscribe()
            await pubsub.aclose()  # type: ignore[no-untyped-call]


async def _messages(pubsub: PubSub) -> AsyncIterator[Message]:
    while True:
        raw = await pubsub.get_message(timeout=None)
        if raw is None:
            continue
        data = raw["data"]
        yield json.loads(data.decode() if isinstance(data, bytes) else data)
