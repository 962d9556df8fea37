"""The event bus interface and its in-process implementation.

Messages are small JSON-able dicts without patient data (ids, statuses, stage, progress). Delivery is
at-most-once and live only: a subscriber sees what is published while it listens, so readers that must not
miss the current state read it from the database first (jobProgress does).
"""

from __future__ import annotations

import asyncio
import contextlib
from abc import ABC, abstractmethod
from collections import defaultdict
from collections.abc import AsyncIterator
from typing import Any

Message = dict[str, Any]
QUEUE_LIMIT = 1000  # per subscriber; a reader that falls this far behind loses the oldest messages


class EventBus(ABC):
    name: str

    @abstractmethod
    async def publish(self, channel: str, message: Message) -> None:
        """Deliver to every current subscriber of the channel (in any process sharing the bus)."""

    @abstractmethod
    def subscribe(self, channel: str) -> contextlib.AbstractAsyncContextManager[AsyncIterator[Message]]:
        """`async with bus.subscribe(ch) as messages: async for m in messages: ...` — listening starts on
        entering, so a message published after `__aenter__` returns is never missed."""

    async def close(self) -> None:
        """Release what the bus holds (connections, reader tasks); the in-process bus holds nothing."""
        return None


class MemoryEventBus(EventBus):
    """One process: every subscriber gets its own bounded queue."""

    name = "memory"

    def __init__(self) -> None:
        self._subscribers: dict[str, set[asyncio.Queue[Message]]] = defaultdict(set)

    async def publish(self, channel: str, message: Message) -> None:
        for queue in list(self._subscribers.get(channel, ())):
            if queue.full():
                queue.get_nowait()
            queue.put_nowait(message)

    @contextlib.asynccontextmanager
    async def subscribe(self, channel: str) -> AsyncIterator[AsyncIterator[Message]]:
        queue: asyncio.Queue[Message] = asyncio.Queue(QUEUE_LIMIT)
        self._subscribers[channel].add(queue)
        try:
            yield _drain(queue)
        finally:
            self._subscribers[channel].discard(queue)
            if not self._subscribers[channel]:
                del self._subscribers[channel]


async def _drain(queue: asyncio.Queue[Message]) -> AsyncIterator[Message]:
    while True:
        yield await queue.get()
