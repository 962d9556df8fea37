"""Which failures are worth retrying: the database, the blob store or the broker being briefly unreachable.

Bad input (every DomainError) is never retried: it would fail the same way again.
"""

from __future__ import annotations

import asyncio

from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from sqlalchemy.exc import DBAPIError, OperationalError

from multimed.blobs.errors import BlobStoreUnavailable
from multimed.core.errors import DomainError

_TRANSIENT = (
    ConnectionError,
    TimeoutError,
    asyncio.TimeoutError,
    OperationalError,
    RedisConnectionError,
    RedisTimeoutError,
    BlobStoreUnavailable,
)


def is_transient(exc: BaseException) -> bool:
    """Whether retrying the same step later may succeed."""
    if isinstance(exc, DomainError):
        return False
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    return isinstance(exc, _TRANSIENT)
