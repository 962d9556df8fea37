"""A FIFO of byte pieces that hands out exact-length slices with at most one copy."""

from __future__ import annotations

from collections import deque
from collections.abc import AsyncIterator


class ByteQueue:
    """Holds references to incoming pieces instead of copying them into one growing buffer."""

    def __init__(self) -> None:
        self._parts: deque[memoryview] = deque()
        self._size = 0

    def __len__(self) -> int:
        return self._size

    def push(self, piece: bytes | bytearray | memoryview) -> None:
        """Append a piece; mutable pieces are copied since their owner may reuse them."""
        if not piece:
            return
        view = memoryview(piece if isinstance(piece, bytes) else bytes(piece))
        self._parts.append(view)
        self._size += len(view)

    def pop(self, size: int) -> bytes:
        """Remove and return the first size bytes (size must not exceed len(self))."""
        if size > self._size:
            raise ValueError("not enough bytes queued")
        if self._parts and len(self._parts[0]) == size:
            whole = self._parts[0].obj
            if isinstance(whole, bytes) and len(whole) == size:
                # The piece is exactly what was asked for: hand the original object out, no copy.
                self._parts.popleft()
                self._size -= size
                return whole
        out: list[memoryview] = []
        needed = size
        while needed:
            part = self._parts[0]
            if len(part) <= needed:
                out.append(self._parts.popleft())
                needed -= len(part)
            else:
                out.append(part[:needed])
                self._parts[0] = part[needed:]
                needed = 0
        self._size -= size
        return b"".join(out)


class ExactReader:
    """Exact-length reads over an async iterator of arbitrarily sized pieces."""

    def __init__(self, source: AsyncIterator[bytes]) -> None:
        self._source = source
        self._queue = ByteQueue()
        self._exhausted = False

    async def _fill(self, size: int) -> bool:
        while len(self._queue) < size and not self._exhausted:
            try:
                self._queue.push(await anext(self._source))
            except StopAsyncIteration:
                self._exhausted = True
        return len(self._queue) >= size

    async def take(self, size: int) -> bytes | None:
        """The next size bytes, or None if the stream ends first."""
        if not await self._fill(size):
            return None
        return self._queue.pop(size)

    async def at_end(self) -> bool:
        """Whether no byte follows."""
        return not await self._fill(1)
