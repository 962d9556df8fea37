"""The principal behind an `Authorization: Bearer` header value."""

from __future__ import annotations

from multimed.auth.errors import InvalidToken
from multimed.auth.principal import Principal
from multimed.auth.tokens import decode_access_token
from multimed.core.keys import SigningKey


def principal_from_authorization(
    value: str | None, key: SigningKey, *, issuer: str, audience: str
) -> Principal | None:
    """None without a header; InvalidToken for anything but a valid bearer token."""
    if not value:
        return None
    scheme, _, token = value.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise InvalidToken("expected 'Authorization: Bearer <token>'")
    return decode_access_token(token.strip(), {key.kid: key.secret}, issuer=issuer, audience=audience)
