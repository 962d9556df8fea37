"""Master key rotation: retired keys still unwrap old blobs, new blobs use the active key."""

from __future__ import annotations

import os
import secrets

import pytest
from blob_helpers import keyring_of, open_all, source

from multimed.blobs.backend import RawBackend
from multimed.blobs.errors import BlobIntegrityError
from multimed.blobs.store import BlobStore
from multimed.core.keys import key_id


async def test_retired_key_still_reads_and_new_blobs_use_active_key(backend: RawBackend) -> None:
    old_key, new_key = secrets.token_bytes(32), secrets.token_bytes(32)
    before = BlobStore(backend, keyring_of(old_key))
    data = os.urandom(1500)
    old_blob = await before.put(source(data))
    assert old_blob.key_id == key_id(old_key)

    rotated = BlobStore(backend, keyring_of(new_key, old_key))
    assert await open_all(rotated, old_blob) == data
    new_blob = await rotated.put(source(b"after rotation"))
    assert new_blob.key_id == key_id(new_key)
    assert await open_all(rotated, new_blob) == b"after rotation"

    forgotten = BlobStore(backend, keyring_of(new_key))
    assert await open_all(forgotten, new_blob) == b"after rotation"
    with pytest.raises(BlobIntegrityError):
        await open_all(forgotten, old_blob)


async def test_wrapped_key_under_wrong_master_is_rejected(backend: RawBackend) -> None:
    blob = await BlobStore(backend, keyring_of(secrets.token_bytes(32))).put(source(b"x"))
    impostor = secrets.token_bytes(32)
    # Same key id label, different key bytes: the unwrap must fail, not produce garbage.
    ring = keyring_of(impostor)
    ring = type(ring)(active_id=blob.key_id, keys={blob.key_id: impostor})
    with pytest.raises(BlobIntegrityError):
        await open_all(BlobStore(backend, ring), blob)
