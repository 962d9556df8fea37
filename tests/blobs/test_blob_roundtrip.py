"""Encrypt-store-read roundtrips through BlobStore on both backends."""

from __future__ import annotations

import hashlib
import math
import os
import re

import pytest
from blob_helpers import MIB, open_all, read_all, source

from multimed.blobs.backend import RawBackend
from multimed.blobs.envelope import DEFAULT_CHUNK_SIZE, TAG_BYTES
from multimed.blobs.errors import BlobNotFound
from multimed.blobs.store import BlobStore

CHUNK = DEFAULT_CHUNK_SIZE
HEADER_BYTES = 17


def expected_stored_size(size: int) -> int:
    records = max(1, math.ceil(size / CHUNK))
    return HEADER_BYTES + records * (4 + TAG_BYTES) + size


@pytest.mark.parametrize("size", [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 5 * MIB + 123])
async def test_roundtrip_keeps_bytes_size_and_digest(store: BlobStore, size: int) -> None:
    data = os.urandom(size)
    blob = await store.put(source(data))
    assert blob.size == size
    assert blob.sha256 == hashlib.sha256(data).hexdigest()
    assert blob.stored_size == expected_stored_size(size)
    assert await open_all(store, blob) == data


@pytest.mark.parametrize("piece", [1, 4096, CHUNK, 3 * CHUNK + 5])
async def test_any_piece_size_gives_the_same_plaintext(store: BlobStore, piece: int) -> None:
    data = os.urandom(2 * CHUNK + 333) if piece > 1 else os.urandom(5000)
    blob = await store.put(source(data, piece))
    assert await open_all(store, blob) == data


async def test_ciphertext_does_not_contain_plaintext(store: BlobStore, backend: RawBackend) -> None:
    data = b"patient-name: Jane Example; " * 5000
    blob = await store.put(source(data))
    raw = await read_all(backend.read(blob.key))
    assert len(raw) == blob.stored_size
    assert b"Jane Example" not in raw
    assert raw.startswith(b"MMB1")


async def test_default_key_is_sharded_uuid_and_explicit_key_is_kept(store: BlobStore) -> None:
    blob = await store.put(source(b"x"))
    assert re.fullmatch(r"([0-9a-f]{2})/([0-9a-f]{2})/\1\2[0-9a-f]{28}", blob.key)
    named = await store.put(source(b"y"), key="custom/dir/name-1")
    assert named.key == "custom/dir/name-1"
    assert await open_all(store, named) == b"y"


async def test_same_plaintext_encrypts_differently(store: BlobStore, backend: RawBackend) -> None:
    first = await store.put(source(b"same bytes"))
    second = await store.put(source(b"same bytes"))
    assert first.wrapped_key != second.wrapped_key
    assert await read_all(backend.read(first.key)) != await read_all(backend.read(second.key))


async def test_delete_then_missing(store: BlobStore, backend: RawBackend) -> None:
    blob = await store.put(source(b"short-lived"))
    assert await backend.exists(blob.key)
    await store.delete(blob.key)
    await store.delete(blob.key)  # idempotent
    assert not await backend.exists(blob.key)
    with pytest.raises(BlobNotFound):
        await open_all(store, blob)


async def test_unknown_key_is_not_found(backend: RawBackend, store: BlobStore) -> None:
    assert not await backend.exists("00/00/does-not-exist")
    with pytest.raises(BlobNotFound):
        await read_all(backend.read("00/00/does-not-exist"))


async def test_check_passes_and_kind_names_backend(store: BlobStore, backend: RawBackend) -> None:
    await store.check()
    assert store.kind == backend.kind
    assert store.kind in {"filesystem", "s3"}


async def test_early_close_of_reader_is_clean(store: BlobStore) -> None:
    data = os.urandom(3 * CHUNK)
    blob = await store.put(source(data))
    stream = store.open(blob.key, wrapped_key=blob.wrapped_key, key_id=blob.key_id)
    first = await anext(stream)
    await stream.aclose()
    assert data.startswith(first)
    assert await open_all(store, blob) == data  # connection / file handle was not left in a bad state
