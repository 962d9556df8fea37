"""Short-lived JWT access tokens (HS256 only, with a key id) and opaque refresh tokens."""

from __future__ import annotations

import hashlib
import secrets
import time
import uuid
from collections import OrderedDict
from datetime import timedelta

import jwt

from multimed.auth.errors import InvalidToken
from multimed.auth.models import Role, User
from multimed.auth.principal import Principal
from multimed.core.db import utcnow
from multimed.core.keys import SigningKey

# The allow-list: `none` and asymmetric algorithms (key confusion) are never accepted.
ALGORITHMS = ["HS256"]


def issue_access_token(user: User, key: SigningKey, *, ttl_seconds: int, issuer: str, audience: str) -> str:
    """A signed access token naming the user, organization and role."""
    now = utcnow()
    claims = {
        "sub": str(user.id),
        "org": str(user.organization_id),
        "role": user.role,
        "iss": issuer,
        "aud": audience,
        "iat": now,
        "nbf": now,
        "exp": now + timedelta(seconds=ttl_seconds),
        "jti": uuid.uuid4().hex,
    }
    return jwt.encode(claims, key.secret, algorithm="HS256", headers={"kid": key.kid})


_Remembered = tuple[str, tuple[tuple[str, bytes], ...], str, str]  # token, keys, issuer, audience


class _VerifiedTokens:
    """Tokens whose signature and claims were checked, until they expire: a dashboard sends the same token
    with every request for its whole lifetime, and verifying it (~90 us) was a sixth of a cached answer.

    Keyed by the token, the keys it was checked with, issuer and audience: a rotated-out key or other
    settings check afresh. Expiry is compared on every use. Bounded, least recently used out first.
    """

    def __init__(self, size: int = 4096) -> None:
        self._size = size
        self._entries: OrderedDict[_Remembered, tuple[Principal, float]] = OrderedDict()

    def get(self, key: _Remembered) -> Principal | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        principal, expires = entry
        if time.time() >= expires:
            del self._entries[key]
            return None
        self._entries.move_to_end(key)
        return principal

    def put(self, key: _Remembered, principal: Principal, expires: float) -> None:
        self._entries[key] = (principal, expires)
        if len(self._entries) > self._size:
            self._entries.popitem(last=False)


_verified = _VerifiedTokens()


def decode_access_token(token: str, keys: dict[str, bytes], *, issuer: str, audience: str) -> Principal:
    """The principal of a valid token; InvalidToken otherwise, without saying more than needed."""
    remembered = (token, tuple(sorted(keys.items())), issuer, audience)
    if (principal := _verified.get(remembered)) is not None:
        return principal
    principal, expires = _verify(token, keys, issuer=issuer, audience=audience)
    _verified.put(remembered, principal, expires)
    return principal


def _verify(token: str, keys: dict[str, bytes], *, issuer: str, audience: str) -> tuple[Principal, float]:
    try:
        header = jwt.get_unverified_header(token)
        kid = header.get("kid")
        if header.get("alg") not in ALGORITHMS or not isinstance(kid, str) or kid not in keys:
            raise InvalidToken()
        claims = jwt.decode(
            token,
            keys[kid],
            algorithms=ALGORITHMS,
            issuer=issuer,
            audience=audience,
            options={"require": ["exp", "iat", "sub", "iss", "aud"]},
        )
        principal = Principal(uuid.UUID(claims["sub"]), uuid.UUID(claims["org"]), Role(claims["role"]))
        return principal, float(claims["exp"])
    except (jwt.PyJWTError, KeyError, ValueError) as exc:
        raise InvalidToken() from exc


def new_refresh_token() -> tuple[str, str]:
    """A random refresh token and the SHA-256 hex that is stored in its place."""
    token = secrets.token_urlsafe(32)
    return token, hash_refresh_token(token)


def hash_refresh_token(token: str) -> str:
    """What the database keeps of a refresh token."""
    return hashlib.sha256(token.encode()).hexdigest()
