"""A write that fails or is cancelled halfway leaves nothing behind, and the error is the caller's."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator

import pytest
from blob_helpers import MIB, Leftovers, MakeS3, read_all

from multimed.blobs.backend import RawBackend
from multimed.blobs.errors import BlobNotFound
from multimed.blobs.store import BlobStore


class SourceBroke(Exception):
    """Raised by a test source midway, as an aborted upload would."""


async def failing_source(
    error: BaseException, good_bytes: int, piece: int = 256 * 1024
) -> AsyncIterator[bytes]:
    sent = 0
    while sent < good_bytes:
        yield os.urandom(piece)
        sent += piece
    raise error


@pytest.mark.parametrize("good_bytes", [0, 100_000, int(2.5 * MIB)])
@pytest.mark.parametrize("error_type", [SourceBroke, ConnectionResetError])
async def test_source_error_propagates_unchanged_and_nothing_remains(
    store: BlobStore, backend: RawBackend, leftovers: Leftovers, good_bytes: int, error_type: type[Exception]
) -> None:
    # ConnectionResetError is an OSError: it must not be mistaken for a storage failure.
    error = error_type("client went away")
    with pytest.raises(error_type) as caught:
        await store.put(failing_source(error, good_bytes), key="aa/bb/failed-upload")
    assert caught.value is error
    assert await leftovers(backend) == []
    assert not await backend.exists("aa/bb/failed-upload")
    with pytest.raises(BlobNotFound):
        await read_all(backend.read("aa/bb/failed-upload"))


async def test_raw_write_failure_leaves_nothing(backend: RawBackend, leftovers: Leftovers) -> None:
    error = SourceBroke("raw")
    with pytest.raises(SourceBroke) as caught:
        await backend.write("aa/bb/raw", failing_source(error, 3 * MIB))
    assert caught.value is error
    assert await leftovers(backend) == []


async def test_s3_multipart_failure_aborts_upload(make_s3: MakeS3, leftovers: Leftovers) -> None:
    backend = make_s3(part_size=5 * MIB)
    error = SourceBroke("after two parts")
    with pytest.raises(SourceBroke) as caught:
        # 12 MiB: two 5 MiB parts are on the server before the source fails.
        await backend.write("aa/bb/multipart", failing_source(error, 12 * MIB, piece=MIB))
    assert caught.value is error
    assert await leftovers(backend) == []


async def test_cancelled_write_leaves_nothing(
    store: BlobStore, backend: RawBackend, leftovers: Leftovers
) -> None:
    halfway = asyncio.Event()

    async def stalled_source() -> AsyncIterator[bytes]:
        for _ in range(3):
            yield os.urandom(MIB)
        halfway.set()
        await asyncio.Event().wait()  # never resumes: the upload stalls until cancelled
        yield b""

    task = asyncio.create_task(store.put(stalled_source(), key="aa/bb/cancelled"))
    await halfway.wait()
    if backend.kind == "filesystem":
        assert await leftovers(backend) != []  # the temp file exists while the upload runs
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert await leftovers(backend) == []


async def test_cancelled_s3_multipart_write_aborts(make_s3: MakeS3, leftovers: Leftovers) -> None:
    backend = make_s3(part_size=5 * MIB)
    parts_sent = asyncio.Event()

    async def stalled_source() -> AsyncIterator[bytes]:
        for _ in range(11):
            yield os.urandom(MIB)
        parts_sent.set()
        await asyncio.Event().wait()
        yield b""

    task = asyncio.create_task(backend.write("aa/bb/cancelled", stalled_source()))
    await parts_sent.wait()
    assert any(item.startswith("upload:") for item in await leftovers(backend))
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert await leftovers(backend) == []
