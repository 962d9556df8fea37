"""Plain helpers shared by the blob tests (imported by module name; pytest puts this dir on sys.path)."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Awaitable, Callable

from multimed.blobs.backend import RawBackend
from multimed.blobs.s3 import S3Backend
from multimed.blobs.store import BlobStore, StoredBlob
from multimed.core.keys import MasterKeyring, key_id

MIB = 1024 * 1024

# Defaults match scripts/seaweedfs.sh; the credentials are test-only.
S3_ENDPOINT = os.environ.get("MULTIMED_TEST_S3_ENDPOINT", "http://127.0.0.1:8333")
S3_ACCESS_KEY = os.environ.get("MULTIMED_TEST_S3_ACCESS_KEY", "multimed-test")
S3_SECRET_KEY = os.environ.get("MULTIMED_TEST_S3_SECRET_KEY", "multimed-test-secret-do-not-use-in-prod")

MakeS3 = Callable[..., S3Backend]
Leftovers = Callable[[RawBackend], Awaitable[list[str]]]


def keyring_of(active: bytes, *retired: bytes) -> MasterKeyring:
    """A keyring whose active key is `active`, still able to unwrap with `retired`."""
    keys = {key_id(raw): raw for raw in (active, *retired)}
    return MasterKeyring(active_id=key_id(active), keys=keys)


async def source(data: bytes, piece: int = 77_777) -> AsyncIterator[bytes]:
    """Yield data in pieces of an odd size, so re-chunking is exercised."""
    for start in range(0, len(data), piece):
        yield data[start : start + piece]


async def read_all(chunks: AsyncIterator[bytes]) -> bytes:
    """Concatenate a byte stream."""
    return b"".join([piece async for piece in chunks])


async def open_all(store: BlobStore, blob: StoredBlob) -> bytes:
    """Plaintext of a stored blob."""
    return await read_all(store.open(blob.key, wrapped_key=blob.wrapped_key, key_id=blob.key_id))
