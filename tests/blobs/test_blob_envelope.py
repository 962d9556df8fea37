"""The stream format on its own: framing, arbitrary input splits, limits, key wrapping."""

from __future__ import annotations

import hashlib
import os
import secrets

import pytest
from blob_helpers import read_all, source

from multimed.blobs.bytequeue import ByteQueue
from multimed.blobs.envelope import (
    KEK_PURPOSE,
    MAX_CHUNK_SIZE,
    MIN_CHUNK_SIZE,
    WRAPPED_KEY_BYTES,
    PlaintextTally,
    check_chunk_size,
    decrypt_stream,
    encrypt_stream,
    new_data_key,
    unwrap_data_key,
    wrap_data_key,
)
from multimed.blobs.errors import BlobIntegrityError
from multimed.core.keys import MasterKeyring


async def encrypt(
    data: bytes, key: bytes, chunk_size: int, piece: int = 1000
) -> tuple[bytes, PlaintextTally]:
    tally = PlaintextTally()
    raw = await read_all(encrypt_stream(source(data, piece), key, chunk_size=chunk_size, tally=tally))
    return raw, tally


@pytest.mark.parametrize("raw_piece", [1, 7, 1024, 1_000_000])
async def test_decrypt_accepts_any_split_of_the_raw_stream(raw_piece: int) -> None:
    key, data = new_data_key(), os.urandom(10_000)
    raw, tally = await encrypt(data, key, 1024)
    assert tally.size == len(data)
    assert tally.sha256 == hashlib.sha256(data).hexdigest()
    assert await read_all(decrypt_stream(source(raw, raw_piece), key)) == data


async def test_stream_yields_header_then_length_and_ciphertext_per_chunk() -> None:
    pieces = [p async for p in encrypt_stream(source(os.urandom(2500), 999), new_data_key(), chunk_size=1024)]
    assert [len(p) for p in pieces] == [17, 4, 1024 + 16, 4, 1024 + 16, 4, 452 + 16]


async def test_same_key_never_reuses_a_nonce_prefix() -> None:
    key = new_data_key()
    first, _ = await encrypt(b"a", key, 1024)
    second, _ = await encrypt(b"a", key, 1024)
    assert first[9:17] != second[9:17]
    assert first != second


async def test_forged_huge_chunk_size_in_header_is_rejected() -> None:
    key = new_data_key()
    raw, _ = await encrypt(b"abc", key, 1024)
    forged = raw[:5] + (MAX_CHUNK_SIZE + 1).to_bytes(4, "big") + raw[9:]
    with pytest.raises(BlobIntegrityError):
        await read_all(decrypt_stream(source(forged), key))


def test_chunk_size_bounds() -> None:
    assert check_chunk_size(MIN_CHUNK_SIZE) == MIN_CHUNK_SIZE
    for bad in (0, MIN_CHUNK_SIZE - 1, MAX_CHUNK_SIZE + 1):
        with pytest.raises(ValueError, match="chunk size"):
            check_chunk_size(bad)


def test_wrap_uses_active_key_and_binds_blob_key(keyring: MasterKeyring) -> None:
    data_key = new_data_key()
    wrapped, kid = wrap_data_key(keyring, data_key, "aa/bb/c")
    assert kid == keyring.active_id
    assert len(wrapped) == WRAPPED_KEY_BYTES
    assert data_key not in wrapped
    assert unwrap_data_key(keyring, wrapped, kid, "aa/bb/c") == data_key
    with pytest.raises(BlobIntegrityError):
        unwrap_data_key(keyring, wrapped, kid, "aa/bb/d")


def test_kek_is_the_documented_hkdf_subkey(keyring: MasterKeyring) -> None:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    data_key = new_data_key()
    wrapped, kid = wrap_data_key(keyring, data_key, "k")
    kek = AESGCM(keyring.derive(KEK_PURPOSE, kid))
    assert kek.decrypt(wrapped[:12], wrapped[12:], b"multimed-dek" + b"k") == data_key


async def test_wrong_data_key_is_rejected_on_first_chunk() -> None:
    raw, _ = await encrypt(os.urandom(5000), new_data_key(), 1024)
    stream = decrypt_stream(source(raw), secrets.token_bytes(32))
    with pytest.raises(BlobIntegrityError):
        await anext(stream)


def test_byte_queue_slices_across_pieces_without_aliasing_mutable_input() -> None:
    queue = ByteQueue()
    mutable = bytearray(b"cdef")
    for piece in (b"ab", mutable, b"", b"ghij"):
        queue.push(piece)
    mutable[:] = b"XXXX"  # the owner reusing its buffer must not change queued data
    assert len(queue) == 10
    assert queue.pop(3) == b"abc"
    assert queue.pop(5) == b"defgh"
    exact = b"0123"
    queue.push(exact)
    assert queue.pop(2) == b"ij"
    assert queue.pop(4) is exact  # a whole piece is handed out without a copy
    with pytest.raises(ValueError, match="not enough"):
        queue.pop(1)
