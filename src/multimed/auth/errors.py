"""Authentication and authorization failures."""

from multimed.core.errors import DomainError, PermissionDenied, Unauthenticated


class InvalidCredentials(Unauthenticated):
    code = "invalid_credentials"

    def __init__(self) -> None:
        super().__init__("invalid username or password")


class InvalidToken(Unauthenticated):
    code = "invalid_token"

    def __init__(self, message: str = "token is invalid or expired") -> None:
        super().__init__(message)


class RefreshTokenReused(Unauthenticated):
    code = "refresh_token_reused"

    def __init__(self) -> None:
        super().__init__("refresh token was already used; the session is revoked")


class Forbidden(PermissionDenied):
    def __init__(self, message: str = "your role may not do this") -> None:
        super().__init__(message)


class UsernameTaken(DomainError):
    code = "username_taken"
    status = 409

    def __init__(self) -> None:
        super().__init__("that username is already taken")


class WeakPassword(DomainError):
    code = "weak_password"
    status = 400

    def __init__(self) -> None:
        super().__init__("password must have at least 12 characters")


class TooManyAttempts(DomainError):
    code = "rate_limited"
    status = 429

    def __init__(self) -> None:
        super().__init__("too many login attempts; try again in a minute")
