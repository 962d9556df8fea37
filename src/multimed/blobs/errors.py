"""Failures of blob storage; messages never carry blob contents or key material."""

from __future__ import annotations


class BlobStoreError(Exception):
    """Base of every blob storage failure."""


class BlobNotFound(BlobStoreError):
    """No blob is stored under the requested key."""


class BlobIntegrityError(BlobStoreError):
    """The stored blob was tampered with, truncated, or the data key does not fit it."""

    def __init__(self, message: str = "blob failed its integrity check") -> None:
        # One fixed message on purpose: saying *which* check failed helps an attacker probe.
        super().__init__(message)


class BlobStoreUnavailable(BlobStoreError):
    """The storage backend cannot be reached or refuses our credentials."""


class InvalidBlobKey(BlobStoreError, ValueError):
    """A blob key is not of the safe relative form "seg/seg/name"."""
