"""create_blob_store picks the backend from settings.effective_blob_url."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from blob_helpers import S3_ACCESS_KEY, S3_ENDPOINT, S3_SECRET_KEY, open_all, source

from multimed.blobs.filesystem import FilesystemBackend
from multimed.blobs.registry import create_blob_store, prepare_blob_store
from multimed.blobs.s3 import S3Backend
from multimed.core.keys import MasterKeyring
from multimed.core.settings import Settings


def settings_for(tmp_path: Path, blob_url: str | None, **extra: object) -> Settings:
    return Settings(data_dir=tmp_path, blob_url=blob_url, **extra)  # type: ignore[arg-type]


async def test_default_is_filesystem_under_data_dir(tmp_path: Path, keyring: MasterKeyring) -> None:
    store = create_blob_store(settings_for(tmp_path, None, blob_chunk_size=64 * 1024), keyring)
    assert store.kind == "filesystem"
    assert store.chunk_size == 64 * 1024
    assert isinstance(store.backend, FilesystemBackend)
    assert store.backend.root == (tmp_path / "blobs").resolve()
    await prepare_blob_store(store)
    await store.check()
    blob = await store.put(source(b"hello"))
    assert await open_all(store, blob) == b"hello"
    await store.close()


def test_explicit_file_url(tmp_path: Path, keyring: MasterKeyring) -> None:
    store = create_blob_store(settings_for(tmp_path, f"file://{tmp_path}/elsewhere"), keyring)
    assert isinstance(store.backend, FilesystemBackend)
    assert store.backend.root == tmp_path / "elsewhere"


def test_s3_url_with_prefix(tmp_path: Path, keyring: MasterKeyring) -> None:
    settings = settings_for(
        tmp_path,
        "s3://medical-blobs/tenant-a/",
        s3_endpoint_url="http://127.0.0.1:1",
        s3_part_size=6 * 1024 * 1024,
    )
    store = create_blob_store(settings, keyring)
    assert store.kind == "s3"
    assert isinstance(store.backend, S3Backend)
    assert store.backend.bucket == "medical-blobs"
    assert store.backend.part_size == 6 * 1024 * 1024
    assert store.backend.object_key("aa/bb/c") == "tenant-a/aa/bb/c"


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/blobs",
        "ftp://host/x",
        "blobs",
        "file://relative/path",
        "file://remote-host/abs/path",
        "file:///",
        "file:///tmp/x?query=1",
        "s3://",
        "s3://Bad_Bucket",
        "s3://bucket/../escape",
    ],
)
def test_unsupported_urls_are_rejected(tmp_path: Path, keyring: MasterKeyring, url: str) -> None:
    with pytest.raises(ValueError, match=r"blob URL|MULTIMED_BLOB_URL|blob key"):
        create_blob_store(settings_for(tmp_path, url), keyring)


def test_part_size_setting_is_validated(tmp_path: Path, keyring: MasterKeyring) -> None:
    with pytest.raises(ValueError, match="part size"):
        create_blob_store(settings_for(tmp_path, "s3://bucket", s3_part_size=1024), keyring)


async def test_s3_store_from_settings_end_to_end(
    tmp_path: Path, keyring: MasterKeyring, s3_bucket: str
) -> None:
    settings = settings_for(
        tmp_path,
        f"s3://{s3_bucket}/registry-test",
        s3_endpoint_url=S3_ENDPOINT,
        s3_access_key=S3_ACCESS_KEY,
        s3_secret_key=S3_SECRET_KEY,
    )
    store = create_blob_store(settings, keyring)
    try:
        await prepare_blob_store(store)
        await store.check()
        data = os.urandom(10_000)
        blob = await store.put(source(data))
        assert await open_all(store, blob) == data
        await store.delete(blob.key)
    finally:
        await store.close()
