"""Typed errors for mutation result unions, mapped from domain exceptions in one place."""

from __future__ import annotations

import strawberry

from multimed.auth.errors import TooManyAttempts
from multimed.core.errors import DomainError, NotFound, PermissionDenied, Unauthenticated
from multimed.files.errors import FileTooLarge, UnsupportedFileType


@strawberry.interface(description="An expected failure: a stable code and a message without patient data.")
class Error:
    code: str
    message: str


@strawberry.type
class AuthError(Error):
    pass


@strawberry.type
class ValidationError(Error):
    pass


@strawberry.type
class NotFoundError(Error):
    pass


@strawberry.type
class PermissionError(Error):  # GraphQL name, not the builtin
    pass


@strawberry.type
class RateLimitedError(Error):
    pass


@strawberry.type
class FileTooLargeError(Error):
    limit_bytes: float


@strawberry.type
class UnsupportedFileTypeError(Error):
    pass


ERROR_TYPES = (
    AuthError,
    ValidationError,
    NotFoundError,
    PermissionError,
    RateLimitedError,
    FileTooLargeError,
    UnsupportedFileTypeError,
)


def to_error(exc: DomainError) -> Error:
    """The GraphQL error type for a domain exception."""
    if isinstance(exc, FileTooLarge):
        return FileTooLargeError(code=exc.code, message=exc.message, limit_bytes=float(exc.limit))
    if isinstance(exc, UnsupportedFileType):
        return UnsupportedFileTypeError(code=exc.code, message=exc.message)
    if isinstance(exc, TooManyAttempts):
        return RateLimitedError(code=exc.code, message=exc.message)
    if isinstance(exc, Unauthenticated):
        return AuthError(code=exc.code, message=exc.message)
    if isinstance(exc, PermissionDenied):
        return PermissionError(code=exc.code, message=exc.message)
    if isinstance(exc, NotFound):
        return NotFoundError(code=exc.code, message=exc.message)
    return ValidationError(code=exc.code, message=exc.message)
