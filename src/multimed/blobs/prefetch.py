"""Run an async source ahead of its consumer through a small bounded queue, so pipeline stages overlap.

Without it, receiving a chunk, sealing it and writing it happen one after another; with it, the request
is read while the previous chunk is encrypted and the one before is written. Memory stays bounded by
`depth` chunks.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncGenerator, AsyncIterator

_DONE = object()


async def prefetch(source: AsyncIterator[bytes], depth: int = 3) -> AsyncGenerator[bytes, None]:
    """Yield what `source` yields, produced concurrently; the source's exception is re-raised here."""
    queue: asyncio.Queue[object] = asyncio.Queue(maxsize=depth)

    async def produce() -> None:
        try:
            async for item in source:
                await queue.put(item)
        except BaseException as exc:  # handed to the consumer, which re-raises it
            await queue.put(exc)
            return
        await queue.put(_DONE)

    producer = asyncio.create_task(produce())
    try:
        while True:
            item = await queue.get()
            if item is _DONE:
                return
            if isinstance(item, BaseException):
                raise item
            assert isinstance(item, bytes | bytearray | memoryview)
            yield bytes(item) if not isinstance(item, bytes) else item
    finally:
        if not producer.done():
            producer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await producer
