"""Builds the blob store the settings ask for: file:///path or s3://bucket[/prefix]."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import SplitResult, urlsplit

from multimed.blobs.backend import RawBackend
from multimed.blobs.filesystem import FilesystemBackend
from multimed.blobs.s3 import S3Backend
from multimed.blobs.store import BlobStore
from multimed.core.keys import MasterKeyring
from multimed.core.settings import Settings

_BUCKET = re.compile(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")


def _filesystem_backend(url: SplitResult) -> FilesystemBackend:
    if url.netloc not in ("", "localhost") or url.query or url.fragment:
        raise ValueError("blob URL must look like file:///absolute/path (no host, query or fragment)")
    # No percent-decoding: Settings builds the default URL from a plain path, unescaped.
    root = Path(url.path)
    if not root.is_absolute() or root == Path(root.anchor):
        raise ValueError("file:// blob URL must name an absolute directory other than /")
    return FilesystemBackend(root)


def _s3_backend(url: SplitResult, settings: Settings) -> S3Backend:
    if not _BUCKET.fullmatch(url.netloc) or url.query or url.fragment:
        raise ValueError("blob URL must look like s3://bucket or s3://bucket/prefix with a valid bucket name")
    return S3Backend(
        settings.s3_endpoint_url,
        url.netloc,
        settings.s3_access_key.get_secret_value() if settings.s3_access_key else None,
        settings.s3_secret_key.get_secret_value() if settings.s3_secret_key else None,
        settings.s3_region,
        settings.s3_part_size,
        prefix=url.path.strip("/"),
    )


def create_backend(settings: Settings) -> RawBackend:
    """The raw backend named by settings.effective_blob_url; ValueError if it is not supported."""
    blob_url = settings.effective_blob_url
    url = urlsplit(blob_url)
    if url.scheme == "file":
        return _filesystem_backend(url)
    if url.scheme == "s3":
        return _s3_backend(url, settings)
    raise ValueError(f"unsupported MULTIMED_BLOB_URL scheme {url.scheme!r}: use file:///path or s3://bucket")


def create_blob_store(settings: Settings, keyring: MasterKeyring) -> BlobStore:
    """The encrypted blob store described by settings."""
    return BlobStore(create_backend(settings), keyring, chunk_size=settings.blob_chunk_size)


async def prepare_blob_store(store: BlobStore) -> None:
    """Create the root directory or bucket if missing (run once at startup)."""
    await store.backend.prepare()
