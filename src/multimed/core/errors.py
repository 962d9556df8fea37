"""Base of every expected, typed failure; messages never carry patient data."""

from __future__ import annotations


class DomainError(Exception):
    """An expected failure with a stable code, an HTTP status and a PHI-free message."""

    code: str = "error"
    status: int = 400
    # Writes made before the failure (an audit event, a revocation) are committed anyway.
    keep_writes: bool = False

    def __init__(self, message: str, *, code: str | None = None, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        if status is not None:
            self.status = status


class NotFound(DomainError):
    code = "not_found"
    status = 404


class PermissionDenied(DomainError):
    code = "forbidden"
    status = 403
    keep_writes = True


class Unauthenticated(DomainError):
    code = "unauthenticated"
    status = 401
    keep_writes = True


class InvalidInput(DomainError):
    code = "invalid_input"
    status = 400


class ConfigurationError(Exception):
    """The service cannot start as configured."""
