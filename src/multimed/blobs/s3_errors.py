"""How S3 failures map onto BlobStoreError: missing key, refused or unreachable service, other."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterator

from botocore.exceptions import (
    ClientError,
    ConnectionError,
    CredentialRetrievalError,
    HTTPClientError,
    IncompleteReadError,
    NoCredentialsError,
    PartialCredentialsError,
)

from multimed.blobs.errors import BlobNotFound, BlobStoreError, BlobStoreUnavailable

NOT_FOUND = frozenset({"NoSuchKey", "404", "NotFound"})
NO_BUCKET = frozenset({"NoSuchBucket", "404", "NotFound"})
REFUSED = frozenset(
    {"AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch", "403", "NoSuchBucket", "ExpiredToken"}
)
UNREACHABLE = (
    ConnectionError,
    HTTPClientError,
    IncompleteReadError,
    NoCredentialsError,
    PartialCredentialsError,
    CredentialRetrievalError,
    asyncio.TimeoutError,
)


def error_code(exc: ClientError) -> str:
    """The S3 error code of a failed call ("NoSuchKey", "403", ...)."""
    return str(exc.response.get("Error", {}).get("Code", ""))


def map_client_error(exc: ClientError, operation: str, *, missing_is_not_found: bool) -> BlobStoreError:
    """The BlobStoreError that stands for an S3 error answer."""
    code = error_code(exc)
    status = int(exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0))
    if missing_is_not_found and code in NOT_FOUND:
        return BlobNotFound("no blob stored under this key")
    if code in REFUSED or status >= 500:
        return BlobStoreUnavailable(f"S3 {operation} refused or failed: {code or status}")
    return BlobStoreError(f"S3 {operation} failed: {code or status}")


def was_rejected(exc: BaseException) -> bool:
    """Whether exc stands for a 4xx answer: the server refused the request and stored nothing."""
    cause = exc.__cause__
    if not isinstance(exc, BlobStoreError) or not isinstance(cause, ClientError):
        return False
    return 400 <= int(cause.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)) < 500


@contextlib.contextmanager
def translate_errors(operation: str, *, missing_is_not_found: bool = False) -> Iterator[None]:
    """Re-raise botocore failures of one S3 call as BlobStoreError subclasses."""
    try:
        yield
    except ClientError as exc:
        raise map_client_error(exc, operation, missing_is_not_found=missing_is_not_found) from exc
    except UNREACHABLE as exc:
        raise BlobStoreUnavailable(f"S3 endpoint unreachable during {operation}") from exc
