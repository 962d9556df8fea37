"""Fixtures for the blob tests: keyrings, both raw backends, and helpers to inspect raw storage."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import AsyncIterator, Iterable
from pathlib import Path

import pytest
from blob_helpers import S3_ACCESS_KEY, S3_ENDPOINT, S3_SECRET_KEY, Leftovers, MakeS3, keyring_of

from multimed.blobs.backend import RawBackend
from multimed.blobs.errors import BlobStoreError
from multimed.blobs.filesystem import FilesystemBackend
from multimed.blobs.s3 import MIN_PART_SIZE, S3Backend
from multimed.blobs.store import BlobStore
from multimed.core.keys import MasterKeyring

BACKENDS = ["filesystem", "s3"]


@pytest.fixture
def keyring() -> MasterKeyring:
    """A keyring with one random active master key."""
    return keyring_of(secrets.token_bytes(32))


@pytest.fixture(scope="session")
async def s3_bucket() -> AsyncIterator[str]:
    """A fresh bucket for this test session; fails loudly when SeaweedFS is not running."""
    bucket = f"multimed-test-{uuid.uuid4().hex[:12]}"
    backend = S3Backend(S3_ENDPOINT, bucket, S3_ACCESS_KEY, S3_SECRET_KEY)
    try:
        await backend.ensure_bucket()
    except BlobStoreError as exc:
        await backend.close()
        pytest.fail(f"S3 test server not usable at {S3_ENDPOINT} ({exc}); run `scripts/seaweedfs.sh start`")
    yield bucket
    s3 = await backend.client()
    paginator = s3.get_paginator("list_objects_v2")
    async for page in paginator.paginate(Bucket=bucket):
        for item in page.get("Contents", []):
            await s3.delete_object(Bucket=bucket, Key=item["Key"])
    await s3.delete_bucket(Bucket=bucket)
    await backend.close()


@pytest.fixture
async def make_s3(s3_bucket: str) -> AsyncIterator[MakeS3]:
    """Build S3 backends on the session bucket, each under its own prefix; closed after the test."""
    bucket = s3_bucket
    made: list[S3Backend] = []

    def make(
        *,
        part_size: int = MIN_PART_SIZE,
        secret_key: str = S3_SECRET_KEY,
        endpoint: str = S3_ENDPOINT,
        max_attempts: int = 3,
    ) -> S3Backend:
        backend = S3Backend(
            endpoint,
            bucket,
            S3_ACCESS_KEY,
            secret_key,
            part_size=part_size,
            prefix=f"t-{uuid.uuid4().hex[:10]}",
            max_attempts=max_attempts,
        )
        made.append(backend)
        return backend

    yield make
    for backend in made:
        await backend.close()


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> RawBackend:
    """Each raw backend in turn, empty and ready."""
    # A plain fixture: only sync fixtures may pull async ones lazily with getfixturevalue, and
    # the S3 server must only be required by the S3 half of the parametrization.
    if request.param == "filesystem":
        root = tmp_path / "blobs"
        root.mkdir(mode=0o700)
        return FilesystemBackend(root)
    make: MakeS3 = request.getfixturevalue("make_s3")
    return make()


@pytest.fixture
def store(backend: RawBackend, keyring: MasterKeyring) -> BlobStore:
    """An encrypted store over each backend, with the default 1 MiB chunks."""
    return BlobStore(backend, keyring)


def _files_under(root: Path) -> list[str]:
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if not path.is_dir())


@pytest.fixture
def leftovers() -> Leftovers:
    """List everything a backend holds: files (temp files included), objects and open uploads."""

    async def inspect(backend: RawBackend) -> list[str]:
        if isinstance(backend, FilesystemBackend):
            return _files_under(backend.root)
        assert isinstance(backend, S3Backend)
        s3 = await backend.client()
        prefix = backend.prefix
        objects = await s3.list_objects_v2(Bucket=backend.bucket, Prefix=prefix)
        uploads = await s3.list_multipart_uploads(Bucket=backend.bucket, Prefix=prefix)
        found: Iterable[str] = [item["Key"] for item in objects.get("Contents", [])]
        return [*found, *(f"upload:{item.get('Key')}" for item in uploads.get("Uploads", []))]

    return inspect
