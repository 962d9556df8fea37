"""The raw byte-storage interface shared by every backend; it knows nothing about encryption."""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import AsyncGenerator, AsyncIterator

from multimed.blobs.errors import InvalidBlobKey

MAX_KEY_LENGTH = 512
_SEGMENT = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._-]*")


def validate_key(key: str) -> str:
    """Return key if it is a safe relative "seg/seg/name" key, else raise InvalidBlobKey."""
    # A strict whitelist is simpler to trust than blacklisting "..", "/", "\\", NUL, etc.: no
    # segment may start with "." so neither traversal nor hidden temp-file names are possible.
    if not key or len(key) > MAX_KEY_LENGTH:
        raise InvalidBlobKey("blob key is empty or too long")
    if not all(_SEGMENT.fullmatch(segment) for segment in key.split("/")):
        raise InvalidBlobKey("blob key must be relative segments of [A-Za-z0-9._-], not starting with '.'")
    return key


class RawBackend(ABC):
    """Stores opaque bytes under keys; writes are all-or-nothing."""

    kind: str

    @abstractmethod
    async def write(self, key: str, chunks: AsyncIterator[bytes]) -> int:
        """Store the bytes of chunks under key and return their count; on failure nothing remains."""

    @abstractmethod
    def read(self, key: str) -> AsyncGenerator[bytes, None]:
        """Stream the bytes stored under key; raises BlobNotFound when iterated if absent."""

    @abstractmethod
    async def delete(self, key: str) -> None:
        """Remove key; deleting an absent key is not an error."""

    @abstractmethod
    async def exists(self, key: str) -> bool:
        """Whether a complete blob is stored under key."""

    @abstractmethod
    async def check(self) -> None:
        """Readiness probe; raises BlobStoreUnavailable when the backend cannot serve."""

    @abstractmethod
    async def prepare(self) -> None:
        """Create the root directory or bucket if missing (run once at startup)."""

    @abstractmethod
    async def close(self) -> None:
        """Release connections; the backend must not be used afterwards."""
