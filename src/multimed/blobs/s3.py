"""Blobs as objects in one S3 bucket (AWS or compatible, e.g. SeaweedFS), via a long-lived client."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable
from contextlib import AsyncExitStack
from typing import TYPE_CHECKING, Any

import aioboto3
from aiobotocore.config import AioConfig
from botocore.exceptions import ClientError

from multimed.blobs.backend import RawBackend, validate_key
from multimed.blobs.bytequeue import ByteQueue
from multimed.blobs.errors import BlobNotFound, BlobStoreError, BlobStoreUnavailable
from multimed.blobs.s3_errors import (
    NO_BUCKET,
    UNREACHABLE,
    error_code,
    map_client_error,
    translate_errors,
    was_rejected,
)
from multimed.blobs.s3_multipart import MultipartUpload

if TYPE_CHECKING:
    from types_aiobotocore_s3 import S3Client

logger = logging.getLogger(__name__)

MIN_PART_SIZE = 5 * 1024 * 1024  # S3's minimum for every part but the last
READ_CHUNK_SIZE = 1024 * 1024


async def _run_cleanup(what: str, cleanup: Awaitable[None]) -> None:
    """Await a best-effort cleanup that survives cancellation of the caller; log if it fails."""
    task = asyncio.ensure_future(cleanup)
    # Retrieve the outcome even if nobody awaits the task any more, so nothing logs it as lost.
    task.add_done_callback(lambda done: done.cancelled() or done.exception())
    try:
        await asyncio.shield(task)
    except asyncio.CancelledError:
        # Only called while unwinding an error that the caller re-raises; the shielded task
        # carries on in the background.
        pass
    except Exception:
        # A leftover multipart upload or object is invisible to readers but costs storage; a
        # bucket lifecycle rule (AbortIncompleteMultipartUpload) is the backstop.
        logger.warning("S3 cleanup failed: %s", what, exc_info=True)


class S3Backend(RawBackend):
    """Stores each blob as one object; small blobs via put_object, large ones via multipart upload."""

    kind = "s3"

    def __init__(
        self,
        endpoint_url: str | None,
        bucket: str,
        access_key: str | None,
        secret_key: str | None,
        region: str = "us-east-1",
        part_size: int = 8 * 1024 * 1024,
        *,
        prefix: str = "",
        read_chunk_size: int = READ_CHUNK_SIZE,
        max_attempts: int = 3,
    ) -> None:
        if part_size < MIN_PART_SIZE:
            raise ValueError(f"S3 part size must be at least {MIN_PART_SIZE} bytes")
        if not bucket:
            raise ValueError("S3 bucket name is empty")
        self._bucket = bucket
        self._prefix = f"{validate_key(prefix)}/" if prefix else ""
        self._region = region
        self._part_size = part_size
        self._read_chunk_size = read_chunk_size
        self._max_attempts = max_attempts
        self._endpoint_url = endpoint_url
        self._access_key = access_key
        self._secret_key = secret_key
        self._client: S3Client | None = None
        self._stack: AsyncExitStack | None = None
        self._lock = asyncio.Lock()

    @property
    def bucket(self) -> str:
        """Name of the bucket holding the blobs."""
        return self._bucket

    @property
    def part_size(self) -> int:
        """Bytes per multipart part; blobs up to this size go up in one put_object."""
        return self._part_size

    @property
    def prefix(self) -> str:
        """Prefix ("" or "dir/") put in front of every object key."""
        return self._prefix

    def object_key(self, key: str) -> str:
        """S3 object key of a blob key (prefix applied)."""
        return self._prefix + validate_key(key)

    async def client(self) -> S3Client:
        """The backend's one S3 client, created on first use."""
        if self._client is None:
            async with self._lock:
                if self._client is None:
                    config = AioConfig(
                        s3={"addressing_style": "path"},
                        signature_version="s3v4",
                        retries={"mode": "standard", "max_attempts": self._max_attempts},
                        connect_timeout=5,
                        read_timeout=60,
                        # The envelope already authenticates every byte end to end; optional
                        # CRC checksums would only cost loop CPU and trip some S3 lookalikes.
                        request_checksum_calculation="when_required",
                        response_checksum_validation="when_required",
                    )
                    stack = AsyncExitStack()
                    self._client = await stack.enter_async_context(
                        aioboto3.Session().client(
                            "s3",
                            endpoint_url=self._endpoint_url,
                            aws_access_key_id=self._access_key,
                            aws_secret_access_key=self._secret_key,
                            region_name=self._region,
                            config=config,
                        )
                    )
                    self._stack = stack
        return self._client

    async def write(self, key: str, chunks: AsyncIterator[bytes]) -> int:
        """Upload chunks; buffers at most one part, aborts/deletes everything on failure."""
        object_key = self.object_key(key)
        s3 = await self.client()
        upload: MultipartUpload | None = None
        committing = False
        pending = ByteQueue()
        total = 0
        try:
            async for chunk in chunks:
                pending.push(chunk)
                total += len(chunk)
                # Strictly greater, so a blob of exactly one part still goes up in a single put.
                while len(pending) > self._part_size:
                    if upload is None:
                        upload = MultipartUpload(s3, self._bucket, object_key)
                        with translate_errors("create_multipart_upload"):
                            await upload.start()
                    with translate_errors("upload_part"):
                        await upload.send(pending.pop(self._part_size))
            committing = True
            rest = pending.pop(len(pending))
            if upload is None:
                with translate_errors("put_object"):
                    await s3.put_object(Bucket=self._bucket, Key=object_key, Body=rest)
            else:
                with translate_errors("upload_part"):
                    await upload.send(rest)
                with translate_errors("complete_multipart_upload"):
                    await upload.complete()
        except BaseException as exc:
            if upload is not None and upload.started:
                await _run_cleanup("abort_multipart_upload", upload.abort())
            if committing and not was_rejected(exc):
                # A lost response or a cancellation may hide a commit that succeeded on the server.
                await _run_cleanup("delete_object", self._delete(s3, object_key))
            raise
        return total

    async def read(self, key: str) -> AsyncGenerator[bytes, None]:
        """Stream the object of key in pieces of up to read_chunk_size bytes."""
        object_key = self.object_key(key)
        s3 = await self.client()
        with translate_errors("get_object", missing_is_not_found=True):
            response = await s3.get_object(Bucket=self._bucket, Key=object_key)
        body = response["Body"]
        # Leaving the context early drops the connection instead of pooling a half-read one.
        async with body:
            while True:
                with translate_errors("get_object body"):
                    data = await body.read(self._read_chunk_size)
                if not data:
                    return
                yield data

    async def _delete(self, s3: S3Client, object_key: str) -> None:
        with translate_errors("delete_object"):
            await s3.delete_object(Bucket=self._bucket, Key=object_key)

    async def delete(self, key: str) -> None:
        """Remove the object of key; S3 deletes are idempotent."""
        await self._delete(await self.client(), self.object_key(key))

    async def exists(self, key: str) -> bool:
        """Whether an object is stored for key."""
        s3 = await self.client()
        try:
            with translate_errors("head_object", missing_is_not_found=True):
                await s3.head_object(Bucket=self._bucket, Key=self.object_key(key))
        except BlobNotFound:
            return False
        return True

    async def check(self) -> None:
        """Raise BlobStoreUnavailable unless the bucket answers with our credentials."""
        s3 = await self.client()
        try:
            with translate_errors("head_bucket"):
                await s3.head_bucket(Bucket=self._bucket)
        except BlobStoreUnavailable:
            raise
        except BlobStoreError as exc:
            raise BlobStoreUnavailable(str(exc)) from exc

    async def ensure_bucket(self) -> None:
        """Create the bucket unless it already exists (run once at startup)."""
        s3 = await self.client()
        try:
            await s3.head_bucket(Bucket=self._bucket)
            return
        except ClientError as exc:
            if error_code(exc) not in NO_BUCKET:
                raise map_client_error(exc, "head_bucket", missing_is_not_found=False) from exc
        except UNREACHABLE as exc:
            raise BlobStoreUnavailable("S3 endpoint unreachable during head_bucket") from exc
        request: dict[str, Any] = {"Bucket": self._bucket}
        if self._region != "us-east-1":  # us-east-1 rejects an explicit location constraint
            request["CreateBucketConfiguration"] = {"LocationConstraint": self._region}
        try:
            await s3.create_bucket(**request)
        except ClientError as exc:
            # Another process may have created it between our head_bucket and create_bucket.
            if error_code(exc) != "BucketAlreadyOwnedByYou":
                raise map_client_error(exc, "create_bucket", missing_is_not_found=False) from exc
        except UNREACHABLE as exc:
            raise BlobStoreUnavailable("S3 endpoint unreachable during create_bucket") from exc

    async def prepare(self) -> None:
        """Create the bucket if missing."""
        await self.ensure_bucket()

    async def close(self) -> None:
        """Close the S3 client and its connection pool; a later call reopens lazily."""
        stack, self._stack, self._client = self._stack, None, None
        if stack is not None:
            await stack.aclose()
