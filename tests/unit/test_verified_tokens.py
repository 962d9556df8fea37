"""Verified access tokens are remembered only for the same token, keys, issuer and audience, until expiry."""

from __future__ import annotations

import secrets
import time
import uuid

import pytest

from multimed.auth.errors import InvalidToken
from multimed.auth.models import Role, User
from multimed.auth.tokens import decode_access_token, issue_access_token
from multimed.core.keys import SigningKey


def _token(key: SigningKey, ttl: int = 900) -> str:
    user = User(
        id=uuid.uuid4(), organization_id=uuid.uuid4(), role=Role.CLINICIAN, username="u", password_hash="x"
    )
    return issue_access_token(user, key, ttl_seconds=ttl, issuer="iss", audience="aud")


def _key() -> SigningKey:
    return SigningKey(kid=secrets.token_hex(4), secret=secrets.token_bytes(32))


def test_a_remembered_token_is_not_accepted_under_another_key_or_audience() -> None:
    key, other = _key(), _key()
    token = _token(key)
    assert (
        decode_access_token(token, {key.kid: key.secret}, issuer="iss", audience="aud").role is Role.CLINICIAN
    )
    assert (
        decode_access_token(token, {key.kid: key.secret}, issuer="iss", audience="aud").role is Role.CLINICIAN
    )

    with pytest.raises(InvalidToken):
        decode_access_token(token, {key.kid: other.secret}, issuer="iss", audience="aud")  # rotated key
    with pytest.raises(InvalidToken):
        decode_access_token(token, {key.kid: key.secret}, issuer="iss", audience="other")


def test_a_tampered_copy_of_a_remembered_token_is_refused() -> None:
    key = _key()
    token = _token(key)
    decode_access_token(token, {key.kid: key.secret}, issuer="iss", audience="aud")
    head, body, signature = token.split(".")
    with pytest.raises(InvalidToken):
        decode_access_token(
            f"{head}.{body}.{signature[:-2]}AA", {key.kid: key.secret}, issuer="iss", audience="aud"
        )


def test_a_remembered_token_expires() -> None:
    key = _key()
    token = _token(key, ttl=1)
    decode_access_token(token, {key.kid: key.secret}, issuer="iss", audience="aud")
    time.sleep(1.1)  # the token's own lifetime, not a timing assertion
    with pytest.raises(InvalidToken):
        decode_access_token(token, {key.kid: key.secret}, issuer="iss", audience="aud")
