"""The at-rest blob format: per-blob AES-256-GCM data keys wrapped by a master-derived key, and a
chunked STREAM encoding whose every chunk is authenticated together with its position.

Stream layout::

    header  = b"MMB1" | version (1 byte) | chunk size (4 bytes BE) | nonce prefix (8 random bytes)
    record* = ciphertext length (4 bytes BE) | AES-GCM ciphertext with its 16-byte tag

Chunk i is sealed with nonce = prefix | i (4 bytes BE) and AAD = header | i (4 bytes BE) | final
flag (1 byte). Every chunk but the last holds exactly chunk-size plaintext bytes; the last holds
0..chunk-size bytes, so even an empty blob has one (empty, final) record.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import struct
from collections.abc import AsyncGenerator, AsyncIterator, Callable
from functools import partial
from typing import TypeVar

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from multimed.blobs.bytequeue import ByteQueue, ExactReader
from multimed.blobs.errors import BlobIntegrityError
from multimed.core.keys import MasterKeyring

MAGIC = b"MMB1"
VERSION = 1
DEFAULT_CHUNK_SIZE = 1024 * 1024
MIN_CHUNK_SIZE = 1024
MAX_CHUNK_SIZE = 16 * 1024 * 1024
TAG_BYTES = 16
KEK_PURPOSE = "multimed/blob-kek/v1"
DEK_BYTES = 32
WRAP_NONCE_BYTES = 12
WRAPPED_KEY_BYTES = WRAP_NONCE_BYTES + DEK_BYTES + TAG_BYTES
_WRAP_AAD = b"multimed-dek"

_HEADER = struct.Struct(">4sBI8s")
_LENGTH = struct.Struct(">I")
_MAX_CHUNKS = 2**32  # the chunk counter is 4 bytes of the nonce and must never wrap
# Below this size a thread hop costs more than the AES/SHA work it would move off the loop.
_OFFLOAD_BYTES = 64 * 1024

_T = TypeVar("_T")


def check_chunk_size(chunk_size: int) -> int:
    """Return chunk_size if the format allows it, else raise ValueError."""
    if not MIN_CHUNK_SIZE <= chunk_size <= MAX_CHUNK_SIZE:
        raise ValueError(f"blob chunk size must be between {MIN_CHUNK_SIZE} and {MAX_CHUNK_SIZE} bytes")
    return chunk_size


def new_data_key() -> bytes:
    """A fresh random 256-bit data key for one blob."""
    return AESGCM.generate_key(bit_length=8 * DEK_BYTES)


def _dek_aad(blob_key: str) -> bytes:
    # Binding the blob key means a wrapped key copied onto another blob's row cannot unwrap.
    return _WRAP_AAD + blob_key.encode()


def wrap_data_key(keyring: MasterKeyring, data_key: bytes, blob_key: str) -> tuple[bytes, str]:
    """Encrypt data_key under the active key-encryption key; returns (nonce|ciphertext, key id)."""
    kid = keyring.active_id
    nonce = os.urandom(WRAP_NONCE_BYTES)
    kek = AESGCM(keyring.derive(KEK_PURPOSE, kid))
    return nonce + kek.encrypt(nonce, data_key, _dek_aad(blob_key)), kid


def unwrap_data_key(keyring: MasterKeyring, wrapped: bytes, kid: str, blob_key: str) -> bytes:
    """Recover a data key wrapped by wrap_data_key, with the active or a retired master key."""
    if kid not in keyring.keys or len(wrapped) != WRAPPED_KEY_BYTES:
        raise BlobIntegrityError()
    kek = AESGCM(keyring.derive(KEK_PURPOSE, kid))
    nonce, sealed = wrapped[:WRAP_NONCE_BYTES], wrapped[WRAP_NONCE_BYTES:]
    try:
        return kek.decrypt(nonce, sealed, _dek_aad(blob_key))
    except InvalidTag as exc:
        raise BlobIntegrityError() from exc


def _nonce(prefix: bytes, index: int) -> bytes:
    return prefix + index.to_bytes(4, "big")


def _aad(header: bytes, index: int, final: bool) -> bytes:
    return header + index.to_bytes(4, "big") + (b"\x01" if final else b"\x00")


async def _offload(work: Callable[[bytes], _T], data: bytes) -> _T:
    """work(data), in a worker thread when data is large enough to be worth it."""
    # AES-GCM and SHA-256 release the GIL on large buffers, so a worker thread keeps the event
    # loop serving other requests' I/O while a chunk is being processed.
    if len(data) < _OFFLOAD_BYTES:
        return work(data)
    # The executor's work item (and its future) can outlive the await by a thread switch; passing
    # data and result through boxes we empty keeps it from pinning two extra chunks meanwhile.
    inbox, outbox = [data], []

    def run() -> None:
        outbox.append(work(inbox.pop()))

    del data
    await asyncio.to_thread(run)
    return outbox.pop()


class PlaintextTally:
    """Size and SHA-256 of the plaintext that went through encrypt_stream."""

    def __init__(self) -> None:
        self.size = 0
        self._hash = hashlib.sha256()

    def add(self, data: bytes) -> None:
        """Account for one more piece of plaintext."""
        self._hash.update(data)
        self.size += len(data)

    @property
    def sha256(self) -> str:
        """Hex SHA-256 of everything added so far."""
        return self._hash.hexdigest()


class _Sealer:
    def __init__(self, data_key: bytes, chunk_size: int, tally: PlaintextTally) -> None:
        self._aead = AESGCM(data_key)
        self._prefix = os.urandom(8)
        self._tally = tally
        self._index = 0
        self.header = _HEADER.pack(MAGIC, VERSION, chunk_size, self._prefix)

    def seal_chunk(self, chunk: bytes) -> tuple[bytes, bytes]:
        """Seal a full chunk that is known to have a successor."""
        return self.seal(chunk, final=False)

    def seal_final(self, chunk: bytes) -> tuple[bytes, bytes]:
        """Seal the last chunk of the stream."""
        return self.seal(chunk, final=True)

    def seal(self, chunk: bytes, final: bool) -> tuple[bytes, bytes]:
        """Encrypt one chunk; returns its length prefix and ciphertext."""
        if self._index >= _MAX_CHUNKS:
            raise ValueError("blob has too many chunks for its nonce space")
        self._tally.add(chunk)
        sealed = self._aead.encrypt(
            _nonce(self._prefix, self._index), chunk, _aad(self.header, self._index, final)
        )
        self._index += 1
        # Two pieces rather than one concatenation: saves a chunk-sized copy per record.
        return _LENGTH.pack(len(sealed)), sealed


async def encrypt_stream(
    source: AsyncIterator[bytes],
    data_key: bytes,
    *,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    tally: PlaintextTally | None = None,
) -> AsyncGenerator[bytes, None]:
    """Encrypt plaintext pieces of any size into the stream format (header, then length/ciphertext)."""
    sealer = _Sealer(data_key, check_chunk_size(chunk_size), tally or PlaintextTally())
    yield sealer.header
    pending = ByteQueue()
    async for piece in source:
        pending.push(piece)
        # Strictly greater: a full chunk is only known not to be the last once more data exists.
        while len(pending) > chunk_size:
            for part in await _offload(sealer.seal_chunk, pending.pop(chunk_size)):
                yield part
    last = pending.pop(len(pending))
    for part in await _offload(sealer.seal_final, last):
        yield part


async def decrypt_stream(raw: AsyncIterator[bytes], data_key: bytes) -> AsyncGenerator[bytes, None]:
    """Verify and decrypt a stream made by encrypt_stream; raises BlobIntegrityError on any damage."""
    reader = ExactReader(raw)
    header_raw = await reader.take(_HEADER.size)
    if header_raw is None:
        raise BlobIntegrityError()
    header = bytes(header_raw)
    magic, version, chunk_size, prefix = _HEADER.unpack(header)
    if magic != MAGIC or version != VERSION or not MIN_CHUNK_SIZE <= chunk_size <= MAX_CHUNK_SIZE:
        raise BlobIntegrityError()
    aead = AESGCM(data_key)
    for index in range(_MAX_CHUNKS):
        length_raw = await reader.take(_LENGTH.size)
        if length_raw is None:
            raise BlobIntegrityError()
        (length,) = _LENGTH.unpack(length_raw)
        # Checked before reading so a forged length can never make us buffer more than a chunk.
        if not TAG_BYTES <= length <= chunk_size + TAG_BYTES:
            raise BlobIntegrityError()
        record = await reader.take(length)
        if record is None:
            raise BlobIntegrityError()
        final = await reader.at_end()
        if not final and length != chunk_size + TAG_BYTES:
            raise BlobIntegrityError()
        opener = partial(aead.decrypt, _nonce(prefix, index), associated_data=_aad(header, index, final))
        try:
            plaintext = await _offload(opener, record)
        except InvalidTag as exc:
            raise BlobIntegrityError() from exc
        if plaintext:
            yield plaintext
        if final:
            return
    raise BlobIntegrityError()
