"""Any change to a stored blob, or a wrong data key, fails with one generic BlobIntegrityError."""

from __future__ import annotations

import os
import struct
from collections.abc import Callable
from dataclasses import replace

import pytest
from blob_helpers import open_all, read_all, source

from multimed.blobs.backend import RawBackend
from multimed.blobs.errors import BlobIntegrityError
from multimed.blobs.store import BlobStore
from multimed.core.keys import MasterKeyring

CHUNK = 4096
HEADER = 17
GENERIC = "blob failed its integrity check"
PLAINTEXT = os.urandom(3 * CHUNK + 1000)  # four records: three full, one short final

Tamper = Callable[[bytes, list[bytes]], bytes]


def split_records(raw: bytes) -> list[bytes]:
    """The records (length prefix included) after the header."""
    records, offset = [], HEADER
    while offset < len(raw):
        (length,) = struct.unpack(">I", raw[offset : offset + 4])
        records.append(raw[offset : offset + 4 + length])
        offset += 4 + length
    return records


def flip(data: bytes, index: int) -> bytes:
    return data[:index] + bytes([data[index] ^ 0x01]) + data[index + 1 :]


def head(raw: bytes) -> bytes:
    return raw[:HEADER]


TAMPERS: dict[str, Tamper] = {
    "magic": lambda raw, recs: flip(raw, 0),
    "version": lambda raw, recs: flip(raw, 4),
    "header_chunk_size": lambda raw, recs: flip(raw, 8),
    "nonce_prefix": lambda raw, recs: flip(raw, 12),
    "length_prefix": lambda raw, recs: flip(raw, HEADER + 3),
    "ciphertext_first_chunk": lambda raw, recs: flip(raw, HEADER + 4 + 100),
    "ciphertext_final_chunk": lambda raw, recs: flip(raw, len(raw) - 20),
    "tag_last_byte": lambda raw, recs: flip(raw, len(raw) - 1),
    "truncated_at_chunk_boundary": lambda raw, recs: head(raw) + recs[0] + recs[1],
    "dropped_final_chunk": lambda raw, recs: head(raw) + b"".join(recs[:-1]),
    "truncated_mid_chunk": lambda raw, recs: raw[: HEADER + len(recs[0]) + 500],
    "truncated_in_length_prefix": lambda raw, recs: raw[: HEADER + len(recs[0]) + 2],
    "truncated_last_byte": lambda raw, recs: raw[:-1],
    "header_only": lambda raw, recs: head(raw),
    "partial_header": lambda raw, recs: raw[:10],
    "empty": lambda raw, recs: b"",
    "swapped_chunks": lambda raw, recs: head(raw) + recs[1] + recs[0] + recs[2] + recs[3],
    "swapped_with_final": lambda raw, recs: head(raw) + recs[0] + recs[1] + recs[3] + recs[2],
    "duplicated_chunk": lambda raw, recs: head(raw) + recs[0] + recs[0] + recs[1] + recs[2] + recs[3],
    "appended_garbage": lambda raw, recs: raw + os.urandom(40),
    "appended_byte": lambda raw, recs: raw + b"\x00",
    "duplicated_final_chunk": lambda raw, recs: raw + recs[3],
    "final_flag_moved": lambda raw, recs: head(raw) + recs[0],
    "oversized_length": lambda raw, recs: head(raw) + struct.pack(">I", 2**31) + recs[0][4:],
}


@pytest.fixture
def small_store(backend: RawBackend, keyring: MasterKeyring) -> BlobStore:
    """Small chunks so a few KiB already make several records."""
    return BlobStore(backend, keyring, chunk_size=CHUNK)


async def rewrite(backend: RawBackend, key: str, transform: Callable[[bytes], bytes]) -> None:
    raw = await read_all(backend.read(key))
    await backend.write(key, source(transform(raw)))


@pytest.mark.parametrize("name", list(TAMPERS))
async def test_tampered_blob_is_rejected(small_store: BlobStore, backend: RawBackend, name: str) -> None:
    blob = await small_store.put(source(PLAINTEXT))
    assert await open_all(small_store, blob) == PLAINTEXT
    await rewrite(backend, blob.key, lambda raw: TAMPERS[name](raw, split_records(raw)))
    with pytest.raises(BlobIntegrityError) as caught:
        await open_all(small_store, blob)
    assert str(caught.value) == GENERIC


async def test_each_record_layout_is_as_documented(small_store: BlobStore, backend: RawBackend) -> None:
    blob = await small_store.put(source(PLAINTEXT))
    raw = await read_all(backend.read(blob.key))
    magic, version, chunk_size = struct.unpack(">4sBI", raw[:9])
    assert (magic, version, chunk_size) == (b"MMB1", 1, CHUNK)
    records = split_records(raw)
    assert [len(r) - 4 for r in records] == [CHUNK + 16] * 3 + [1000 + 16]


async def test_empty_blob_has_one_final_record_that_cannot_be_dropped(
    small_store: BlobStore, backend: RawBackend
) -> None:
    blob = await small_store.put(source(b""))
    raw = await read_all(backend.read(blob.key))
    assert [len(r) for r in split_records(raw)] == [4 + 16]
    assert await open_all(small_store, blob) == b""
    await rewrite(backend, blob.key, head)
    with pytest.raises(BlobIntegrityError):
        await open_all(small_store, blob)


async def test_blob_swapped_with_another_blob_is_rejected(
    small_store: BlobStore, backend: RawBackend
) -> None:
    first = await small_store.put(source(b"first " * 1000))
    second = await small_store.put(source(b"second " * 1000))
    await backend.write(first.key, backend.read(second.key))
    with pytest.raises(BlobIntegrityError):
        await open_all(small_store, first)


async def test_wrong_wrapped_key_is_rejected(small_store: BlobStore) -> None:
    blob = await small_store.put(source(b"secret"))
    other = await small_store.put(source(b"other"))
    cases = {
        "other_blobs_key": replace(blob, wrapped_key=other.wrapped_key),
        "flipped_byte": replace(blob, wrapped_key=flip(blob.wrapped_key, 20)),
        "truncated": replace(blob, wrapped_key=blob.wrapped_key[:-1]),
        "empty": replace(blob, wrapped_key=b""),
        "unknown_key_id": replace(blob, key_id="0123456789abcdef"),
    }
    for name, bad in cases.items():
        with pytest.raises(BlobIntegrityError) as caught:
            await open_all(small_store, bad)
        assert str(caught.value) == GENERIC, name


async def test_wrapped_key_is_bound_to_its_blob_key(small_store: BlobStore, backend: RawBackend) -> None:
    blob = await small_store.put(source(b"bound"), key="aa/bb/original")
    await backend.write("aa/bb/copy", backend.read(blob.key))
    with pytest.raises(BlobIntegrityError):
        await open_all(small_store, replace(blob, key="aa/bb/copy"))


async def test_chunks_before_the_damage_are_verified_then_error(
    small_store: BlobStore, backend: RawBackend
) -> None:
    blob = await small_store.put(source(PLAINTEXT))
    await rewrite(backend, blob.key, lambda raw: TAMPERS["dropped_final_chunk"](raw, split_records(raw)))
    received = b""
    with pytest.raises(BlobIntegrityError):
        async for piece in small_store.open(blob.key, wrapped_key=blob.wrapped_key, key_id=blob.key_id):
            received += piece
    assert PLAINTEXT.startswith(received)
    assert len(received) < len(PLAINTEXT)
