"""Typed errors for mutation result unions, mapped from domain exceptions in one place; and the `code` every
GraphQL error carries in its extensions, on queries, mutations and each streamed subscription result alike."""

from __future__ import annotations

from collections.abc import Iterator

import strawberry
from graphql import GraphQLError
from strawberry.extensions import MaskErrors, SchemaExtension
from strawberry.types.execution import StreamExecutionResult

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


INTERNAL_ERROR = "INTERNAL_ERROR"


def _with_domain_codes(result: object) -> None:
    for error in getattr(result, "errors", None) or []:
        original = error.original_error
        if isinstance(original, DomainError):
            error.extensions = {**(error.extensions or {}), "code": original.code.upper()}


class DomainErrorCodes(SchemaExtension):
    """Adds the stable code of a domain error to its GraphQL error: at the end of a query or mutation, and
    on every result of a subscription before it is sent (a stream's results never reach `on_operation`)."""

    def on_operation(self) -> Iterator[None]:
        yield
        _with_domain_codes(self.execution_context.result)

    def on_stream_result(self, result: StreamExecutionResult) -> Iterator[None]:
        _with_domain_codes(result)
        yield


class MaskUnexpected(MaskErrors):
    """Strawberry's MaskErrors (queries and streamed results), the masked error coded INTERNAL_ERROR like
    the REST shim's `internal_error`, so a client can tell it from an expected failure."""

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        masked = super().anonymise_error(error)
        masked.extensions = {"code": INTERNAL_ERROR}
        return masked
