"""The anonymization test over REST and GraphQL, with the real detector."""

from __future__ import annotations

import httpx

from api.graphql_client import gql
from factories.users import make_org
from multimed.auth.models import Role
from multimed.runtime import Runtime

NOTE = "Patient John Smith (MRN 00123456) was seen on 01/15/2023 by Dr. Emily Carter. Call 555-867-5309."


async def test_rest_anonymize_replaces_identifiers(client: httpx.AsyncClient, runtime: Runtime) -> None:
    org = await make_org(runtime)

    response = await client.post("/anonymize/test", json={"text": NOTE}, headers=org.headers(Role.ANALYST))

    assert response.status_code == 200, response.text
    body = response.json()
    for secret in ("John", "Smith", "00123456", "01/15", "Carter", "867-5309"):
        assert secret not in body["text"]
    assert "2023" in body["text"]
    types = {e["type"] for e in body["entities"]}
    assert {"PATIENT", "MRN", "DATE", "CLINICIAN", "PHONE"} <= types
    for entity in body["entities"]:
        assert body["text"][entity["start"] : entity["end"]]


async def test_graphql_anonymize_and_permissions(client: httpx.AsyncClient, runtime: Runtime) -> None:
    org = await make_org(runtime)
    query = "query($t: String!) { anonymizeText(text: $t) { text entities { type start end score } } }"

    allowed = await gql(client, query, {"t": NOTE}, headers=org.headers(Role.CLINICIAN))
    denied = await gql(client, query, {"t": NOTE}, headers=org.headers(Role.AUDITOR))

    assert "Smith" not in allowed["data"]["anonymizeText"]["text"]
    assert denied["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_rest_anonymize_rejects_bad_bodies(client: httpx.AsyncClient, runtime: Runtime) -> None:
    org = await make_org(runtime)
    headers = org.headers(Role.ADMIN)

    not_json = await client.post("/anonymize/test", content=b"{oops", headers=headers)
    no_text = await client.post("/anonymize/test", json={"txt": "x"}, headers=headers)
    too_long = await client.post("/anonymize/test", json={"text": "a" * 100_001}, headers=headers)

    assert [not_json.status_code, no_text.status_code, too_long.status_code] == [400, 400, 413]
    assert too_long.json()["error"]["code"] == "text_too_long"
