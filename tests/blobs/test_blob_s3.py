"""S3 specifics: multipart uploads, credentials, reachability, bucket creation, prefixes."""

from __future__ import annotations

import hashlib
import os
import socket
import uuid

import pytest
from blob_helpers import (
    MIB,
    S3_ACCESS_KEY,
    S3_ENDPOINT,
    S3_SECRET_KEY,
    Leftovers,
    MakeS3,
    open_all,
    read_all,
    source,
)

from multimed.blobs.errors import BlobStoreError, BlobStoreUnavailable
from multimed.blobs.s3 import MIN_PART_SIZE, S3Backend
from multimed.blobs.store import BlobStore
from multimed.core.keys import MasterKeyring


async def test_large_blob_goes_up_in_parts(
    make_s3: MakeS3, keyring: MasterKeyring, leftovers: Leftovers
) -> None:
    backend = make_s3(part_size=5 * MIB)
    store = BlobStore(backend, keyring)
    data = os.urandom(20 * MIB)
    blob = await store.put(source(data, MIB))
    assert blob.size == len(data)
    assert blob.sha256 == hashlib.sha256(data).hexdigest()
    s3 = await backend.client()
    head = await s3.head_object(Bucket=backend.bucket, Key=backend.object_key(blob.key))
    assert head["ContentLength"] == blob.stored_size
    # A multipart object's ETag ends in "-<number of parts>": 20 MiB + overhead in 5 MiB parts.
    assert head["ETag"].strip('"').endswith("-5")
    assert await open_all(store, blob) == data
    assert [item for item in await leftovers(backend) if item.startswith("upload:")] == []


async def test_blob_of_exactly_one_part_uses_single_put(make_s3: MakeS3) -> None:
    backend = make_s3(part_size=MIN_PART_SIZE)
    data = os.urandom(MIN_PART_SIZE)
    assert await backend.write("aa/bb/one-part", source(data, MIB)) == len(data)
    s3 = await backend.client()
    head = await s3.head_object(Bucket=backend.bucket, Key=backend.object_key("aa/bb/one-part"))
    assert "-" not in head["ETag"]
    assert await read_all(backend.read("aa/bb/one-part")) == data


async def test_prefix_is_applied_to_object_keys(make_s3: MakeS3) -> None:
    backend = make_s3()
    await backend.write("aa/bb/c", source(b"abc"))
    s3 = await backend.client()
    listing = await s3.list_objects_v2(Bucket=backend.bucket, Prefix=backend.prefix)
    assert [item["Key"] for item in listing.get("Contents", [])] == [backend.object_key("aa/bb/c")]
    assert backend.prefix.startswith("t-")
    assert backend.prefix.endswith("/")


async def test_bad_credentials_fail_check_and_writes(make_s3: MakeS3, leftovers: Leftovers) -> None:
    bad = make_s3(secret_key="not-the-secret")
    with pytest.raises(BlobStoreUnavailable):
        await bad.check()
    with pytest.raises(BlobStoreError):
        await bad.write("aa/bb/denied", source(b"data"))
    with pytest.raises(BlobStoreError):
        await read_all(bad.read("aa/bb/denied"))
    good = make_s3()
    assert not await good.exists("aa/bb/denied")


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_unreachable_endpoint_is_unavailable(make_s3: MakeS3) -> None:
    down = make_s3(endpoint=f"http://127.0.0.1:{_closed_port()}", max_attempts=1)
    with pytest.raises(BlobStoreUnavailable):
        await down.check()
    with pytest.raises(BlobStoreUnavailable):
        await down.write("aa/bb/c", source(b"data"))


async def test_ensure_bucket_creates_once_and_check_needs_bucket() -> None:
    bucket = f"multimed-test-{uuid.uuid4().hex[:12]}"
    backend = S3Backend(S3_ENDPOINT, bucket, S3_ACCESS_KEY, S3_SECRET_KEY)
    try:
        with pytest.raises(BlobStoreUnavailable):
            await backend.check()
        await backend.ensure_bucket()
        await backend.ensure_bucket()
        await backend.check()
    finally:
        s3 = await backend.client()
        await s3.delete_bucket(Bucket=bucket)
        await backend.close()


async def test_client_is_reused_and_reopened_after_close(make_s3: MakeS3) -> None:
    backend = make_s3()
    first = await backend.client()
    assert await backend.client() is first
    await backend.close()
    await backend.close()
    await backend.check()  # a new client is created lazily


def test_part_size_below_s3_minimum_is_rejected() -> None:
    with pytest.raises(ValueError, match="part size"):
        S3Backend(S3_ENDPOINT, "bucket", "a", "b", part_size=MIN_PART_SIZE - 1)
