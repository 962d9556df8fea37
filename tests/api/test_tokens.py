"""Access tokens (expiry, tampering, alg=none, key confusion) and refresh rotation with reuse detection."""

from __future__ import annotations

import base64
import json
from datetime import timedelta

import httpx
import jwt
import pytest

from api.graphql_client import gql
from factories.users import PASSWORD, make_org
from multimed.auth.models import Role
from multimed.core.db import utcnow
from multimed.runtime import Runtime

REFRESH = (
    "mutation($t: String!) { refreshToken(refreshToken: $t) { __typename ... on LoginSuccess "
    "{ accessToken refreshToken } ... on Error { code message } } }"
)


def _b64(data: dict[str, object]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


def _claims(runtime: Runtime, **overrides: object) -> dict[str, object]:
    now = utcnow()
    claims: dict[str, object] = {
        "sub": "00000000-0000-0000-0000-000000000001",
        "org": "00000000-0000-0000-0000-000000000002",
        "role": "ADMIN",
        "iss": runtime.settings.jwt_issuer,
        "aud": runtime.settings.jwt_audience,
        "iat": now,
        "exp": now + timedelta(minutes=5),
    }
    claims.update(overrides)
    return claims


async def test_login_over_rest_returns_working_tokens(client: httpx.AsyncClient, runtime: Runtime) -> None:
    org = await make_org(runtime)
    response = await client.post(
        "/auth/token", data={"username": org.users[Role.ANALYST].username, "password": PASSWORD}
    )
    body = response.json()

    me = await gql(client, "{ me { role } }", headers={"Authorization": f"Bearer {body['access_token']}"})

    assert response.status_code == 200
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == runtime.settings.access_token_ttl_seconds
    assert me["data"] == {"me": {"role": "ANALYST"}}
    assert jwt.get_unverified_header(body["access_token"])["kid"] == runtime.secrets.jwt.kid


async def test_bad_password_is_401_and_audited(client: httpx.AsyncClient, runtime: Runtime) -> None:
    org = await make_org(runtime)

    response = await client.post(
        "/auth/token", data={"username": org.users[Role.ANALYST].username, "password": "wrong password!"}
    )
    events = await gql(
        client,
        '{ auditEvents(filter: {action: "auth.login"}) { edges { node { outcome details actorId } } } }',
        headers=org.headers(Role.AUDITOR),
    )

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "invalid_credentials"
    outcomes = [e["node"]["outcome"] for e in events["data"]["auditEvents"]["edges"]]
    assert "failed" in outcomes
    assert {"reason": "bad_credentials"} in [
        e["node"]["details"] for e in events["data"]["auditEvents"]["edges"]
    ]


def _forged(runtime: Runtime) -> dict[str, str]:
    key = runtime.secrets.jwt
    good = jwt.encode(_claims(runtime), key.secret, algorithm="HS256", headers={"kid": key.kid})
    header, payload, signature = good.split(".")
    tampered_payload = _b64({**jwt.decode(good, options={"verify_signature": False}), "role": "AUDITOR"})
    return {
        "expired": jwt.encode(
            _claims(runtime, iat=utcnow() - timedelta(hours=2), exp=utcnow() - timedelta(hours=1)),
            key.secret,
            algorithm="HS256",
            headers={"kid": key.kid},
        ),
        "tampered": f"{header}.{tampered_payload}.{signature}",
        "alg_none": f"{_b64({'alg': 'none', 'typ': 'JWT', 'kid': key.kid})}.{payload}.",
        "wrong_key": jwt.encode(_claims(runtime), b"x" * 32, algorithm="HS256", headers={"kid": key.kid}),
        "unknown_kid": jwt.encode(_claims(runtime), key.secret, algorithm="HS256", headers={"kid": "other"}),
        "hs512": jwt.encode(_claims(runtime), key.secret * 2, algorithm="HS512", headers={"kid": key.kid}),
        "wrong_audience": jwt.encode(
            _claims(runtime, aud="someone-else"), key.secret, algorithm="HS256", headers={"kid": key.kid}
        ),
        "garbage": "not-a-token",
    }


@pytest.mark.parametrize(
    "case",
    ["expired", "tampered", "alg_none", "wrong_key", "unknown_kid", "hs512", "wrong_audience", "garbage"],
)
async def test_bad_tokens_are_refused(client: httpx.AsyncClient, runtime: Runtime, case: str) -> None:
    token = _forged(runtime)[case]

    rest = await client.get(
        "/files/00000000-0000-0000-0000-000000000000/content", headers={"Authorization": f"Bearer {token}"}
    )
    graph = await client.post(
        "/graphql", json={"query": "{ me { role } }"}, headers={"Authorization": f"Bearer {token}"}
    )

    assert rest.status_code == 401
    assert rest.json()["error"]["code"] == "invalid_token"
    assert graph.status_code == 401


async def test_refresh_rotates_and_reuse_revokes_the_family(
    client: httpx.AsyncClient, runtime: Runtime
) -> None:
    org = await make_org(runtime)
    login = await client.post(
        "/auth/token", data={"username": org.users[Role.CLINICIAN].username, "password": PASSWORD}
    )
    first = login.json()["refresh_token"]

    rotated = (await gql(client, REFRESH, {"t": first}))["data"]["refreshToken"]
    reuse = (await gql(client, REFRESH, {"t": first}))["data"]["refreshToken"]
    after_reuse = (await gql(client, REFRESH, {"t": rotated["refreshToken"]}))["data"]["refreshToken"]

    assert rotated["__typename"] == "LoginSuccess"
    assert rotated["refreshToken"] != first
    assert reuse == {
        "__typename": "AuthError",
        "code": "refresh_token_reused",
        "message": "refresh token was already used; the session is revoked",
    }
    assert after_reuse["__typename"] == "AuthError"


async def test_login_mutation_reports_typed_error(client: httpx.AsyncClient) -> None:
    body = await gql(
        client,
        'mutation { login(username: "nobody", password: "nothing") { __typename ... on Error { code } } }',
    )

    assert body["data"]["login"] == {"__typename": "AuthError", "code": "invalid_credentials"}


async def test_login_is_rate_limited(
    client: httpx.AsyncClient, runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(runtime.settings, "login_attempts_per_minute", 3)
    codes = [
        (
            await client.post("/auth/token", data={"username": "rate-limited-user", "password": "x"})
        ).status_code
        for _ in range(5)
    ]

    assert codes[:3] == [401, 401, 401]
    assert codes[3:] == [429, 429]
