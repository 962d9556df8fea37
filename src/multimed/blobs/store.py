"""Encrypted blob storage: the envelope format on top of whichever raw backend is configured."""

from __future__ import annotations

import uuid
from collections.abc import AsyncGenerator, AsyncIterator
from contextlib import aclosing
from dataclasses import dataclass

from multimed.blobs.backend import RawBackend, validate_key
from multimed.blobs.envelope import (
    DEFAULT_CHUNK_SIZE,
    PlaintextTally,
    check_chunk_size,
    decrypt_stream,
    encrypt_stream,
    new_data_key,
    unwrap_data_key,
    wrap_data_key,
)
from multimed.blobs.prefetch import prefetch
from multimed.core.keys import MasterKeyring


@dataclass(frozen=True)
class StoredBlob:
    """What the caller must keep (e.g. in the database) to read a blob back and verify it."""

    key: str
    size: int
    sha256: str
    wrapped_key: bytes
    key_id: str
    stored_size: int


def new_blob_key() -> str:
    """A fresh random key "ab/cd/<uuid>"; the two levels keep directories and listings small."""
    name = uuid.uuid4().hex
    return f"{name[:2]}/{name[2:4]}/{name}"


class BlobStore:
    """Stores plaintext streams encrypted at rest and streams them back verified."""

    def __init__(
        self, backend: RawBackend, keyring: MasterKeyring, chunk_size: int = DEFAULT_CHUNK_SIZE
    ) -> None:
        self._backend = backend
        self._keyring = keyring
        self._chunk_size = check_chunk_size(chunk_size)

    @property
    def kind(self) -> str:
        """Which backend holds the bytes: "filesystem" or "s3"."""
        return self._backend.kind

    @property
    def backend(self) -> RawBackend:
        """The raw backend (ciphertext only)."""
        return self._backend

    @property
    def chunk_size(self) -> int:
        """Plaintext bytes per encrypted chunk for new blobs."""
        return self._chunk_size

    async def put(self, source: AsyncIterator[bytes], *, key: str | None = None) -> StoredBlob:
        """Encrypt and store source; on any failure nothing is left behind and the error propagates."""
        key = new_blob_key() if key is None else validate_key(key)
        data_key = new_data_key()
        wrapped_key, key_id = wrap_data_key(self._keyring, data_key, key)
        tally = PlaintextTally()
        # Three overlapping stages: receive (source), seal (thread), write (backend).
        sealed = encrypt_stream(prefetch(source), data_key, chunk_size=self._chunk_size, tally=tally)
        # Deeper between sealing and writing: a disk flush may stall writes for a moment.
        stream = prefetch(sealed, depth=16)
        async with aclosing(stream):
            stored_size = await self._backend.write(key, stream)
        return StoredBlob(
            key=key,
            size=tally.size,
            sha256=tally.sha256,
            wrapped_key=wrapped_key,
            key_id=key_id,
            stored_size=stored_size,
        )

    async def open(self, key: str, *, wrapped_key: bytes, key_id: str) -> AsyncGenerator[bytes, None]:
        """Stream the verified plaintext of key.

        Chunks are yielded only after they verify, but damage further on is only found later: a
        consumer must treat BlobIntegrityError mid-stream as failure of the whole blob.
        """
        data_key = unwrap_data_key(self._keyring, wrapped_key, key_id, key)
        async with aclosing(self._backend.read(key)) as raw, aclosing(decrypt_stream(raw, data_key)) as plain:
            async for piece in plain:
                yield piece

    async def delete(self, key: str) -> None:
        """Remove the stored bytes of key (idempotent)."""
        await self._backend.delete(key)

    async def check(self) -> None:
        """Readiness probe of the backend; raises BlobStoreUnavailable."""
        await self._backend.check()

    async def close(self) -> None:
        """Release the backend's connections."""
        await self._backend.close()
