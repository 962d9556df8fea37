"""Redis pub/sub: events published by any API or worker process reach subscribers in every API process.

One Redis connection per process carries every channel this process listens to; its messages are fanned out
to local subscribers in memory. 500 dashboards watching one job cost one Redis subscription, not 500.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections import Counter
from collections.abc import AsyncIterator

from redis.asyncio import Redis
from redis.asyncio.client import PubSub

from multimed.events.bus import EventBus, MemoryEventBus, Message

PREFIX = "multimed:events:"
CONFIRM_SECONDS = 10.0
log = logging.getLogger(__name__)


class RedisEventBus(EventBus):
    name = "redis"

    def __init__(self, redis: Redis) -> None:
        self._redis = redis
        self._local = MemoryEventBus()
        self._pubsub: PubSub | None = None
        self._reader: asyncio.Task[None] | None = None
        self._listeners: Counter[str] = Counter()
        self._confirmed: dict[str, asyncio.Event] = {}
        self._lock = asyncio.Lock()

    async def publish(self, channel: str, message: Message) -> None:
        await self._redis.publish(PREFIX + channel, json.dumps(message, separators=(",", ":")))

    @contextlib.asynccontextmanager
    async def subscribe(self, channel: str) -> AsyncIterator[AsyncIterator[Message]]:
        async with self._local.subscribe(channel) as messages:
            await self._acquire(channel)
            try:
                yield messages
            finally:
                await self._release(channel)

    async def _acquire(self, channel: str) -> None:
        """Count a local listener; the first one subscribes in Redis and waits for Redis to confirm, so a
        message published after this returns reaches the listener."""
        async with self._lock:
            self._listeners[channel] += 1
            if self._listeners[channel] > 1:
                confirmed = self._confirmed[channel]
            else:
                confirmed = self._confirmed[channel] = asyncio.Event()
                if self._pubsub is None:
                    self._pubsub = self._redis.pubsub()
                await self._pubsub.subscribe(PREFIX + channel)
                if self._reader is None or self._reader.done():
                    self._reader = asyncio.get_running_loop().create_task(self._read(self._pubsub))
        await asyncio.wait_for(confirmed.wait(), CONFIRM_SECONDS)

    async def _release(self, channel: str) -> None:
        async with self._lock:
            self._listeners[channel] -= 1
            if self._listeners[channel] <= 0:
                del self._listeners[channel]
                self._confirmed.pop(channel, None)
                if self._pubsub is not None:
                    await self._pubsub.unsubscribe(PREFIX + channel)

    async def _read(self, pubsub: PubSub) -> None:
        """Deliver every message of every channel to this process's listeners."""
        while True:
            try:
                raw = await pubsub.get_message(timeout=1.0)
            except asyncio.CancelledError:
                raise
            except (
                Exception
            ) as exc:  # the connection broke: listeners keep waiting, the next subscribe retries
                log.error("event bus reader stopped", extra={"error_type": type(exc).__name__})
                return
            if raw is None:
                continue
            channel = _text(raw["channel"]).removeprefix(PREFIX)
            if raw["type"] == "subscribe":
                if event := self._confirmed.get(channel):
                    event.set()
            elif raw["type"] == "message":
                await self._local.publish(channel, json.loads(_text(raw["data"])))

    async def close(self) -> None:
        """Stop the reader and drop the shared subscription."""
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader
        if self._pubsub is not None:
            await self._pubsub.aclose()  # type: ignore[no-untyped-call]


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value
