"""Short-lived JWT access tokens (HS256 only, with a key id) and opaque refresh tokens."""

from __future__ import annotations

import hashlib
import secrets
import uuid
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


def decode_access_token(token: str, keys: dict[str, bytes], *, issuer: str, audience: str) -> Principal:
    """The principal of a valid token; InvalidToken otherwise, without saying more than needed."""
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
        return Principal(uuid.UUID(claims["sub"]), uuid.UUID(claims["org"]), Role(claims["role"]))
    except (jwt.PyJWTError, KeyError, ValueError) as exc:
        raise InvalidToken() from exc


def new_refresh_token() -> tuple[str, str]:
    """A random refresh token and the SHA-256 hex that is stored in its place."""
    token = secrets.token_urlsafe(32)
    return token, hash_refresh_token(token)


def hash_refresh_token(token: str) -> str:
    """What the database keeps of a refresh token."""
    return hashlib.sha256(token.encode()).hexdigest()
