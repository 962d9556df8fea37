"""Encrypted blob storage: one interface, a filesystem and an S3 backend chosen by URL."""

from multimed.blobs.backend import RawBackend
from multimed.blobs.errors import (
    BlobIntegrityError,
    BlobNotFound,
    BlobStoreError,
    BlobStoreUnavailable,
    InvalidBlobKey,
)
from multimed.blobs.registry import create_blob_store, prepare_blob_store
from multimed.blobs.store import BlobStore, StoredBlob

__all__ = [
    "BlobIntegrityError",
    "BlobNotFound",
    "BlobStore",
    "BlobStoreError",
    "BlobStoreUnavailable",
    "InvalidBlobKey",
    "RawBackend",
    "StoredBlob",
    "create_blob_store",
    "prepare_blob_store",
]
