"""Every role against every operation, and organization isolation."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from api.graphql_client import gql
from factories.files import pdf_bytes
from factories.uploads import upload
from factories.users import Org, make_org
from multimed.auth.models import Role
from multimed.runtime import Runtime

A, C, N, U = Role.ADMIN, Role.CLINICIAN, Role.ANALYST, Role.AUDITOR

# operation → (GraphQL document, roles allowed)
OPERATIONS: dict[str, tuple[str, set[Role]]] = {
    "me": ("{ me { username role } }", {A, C, N, U}),
    "patients": ("{ patients(first: 5) { totalCount } }", {A, C, N}),
    "patient_by_token": ('{ patient(token: "%(token)s") { token } }', {A, C, N}),
    "patient_by_mrn": ('{ patient(mrn: "MRN-PERM-1") { token } }', {A, C}),
    "file": ('{ file(id: "%(file_id)s") { kind sha256 } }', {A, C, N}),
    "auditEvents": ("{ auditEvents(first: 1) { totalCount } }", {A, U}),
    "createUser": (
        'mutation { createUser(input: {username: "u-%(suffix)s", password: "long enough password", '
        "role: ANALYST}) { __typename } }",
        {A},
    ),
}


@pytest.fixture(scope="module")
async def world(client: httpx.AsyncClient, runtime: Runtime) -> dict[str, Any]:
    org = await make_org(runtime)
    body = await upload(client, org, "MRN-PERM-1", "a.pdf", pdf_bytes())
    from multimed.graphql.relay import to_global_id

    return {
        "org": org,
        "token": body["patient_token"],
        "file_id": to_global_id("MedicalFile", body["file_id"]),
        "raw_file_id": body["file_id"],
    }


@pytest.mark.parametrize("operation", sorted(OPERATIONS))
@pytest.mark.parametrize("role", list(Role))
async def test_graphql_permission_matrix(
    client: httpx.AsyncClient, world: dict[str, Any], operation: str, role: Role
) -> None:
    document, allowed = OPERATIONS[operation]
    org: Org = world["org"]
    query = document % {
        "token": world["token"],
        "file_id": world["file_id"],
        "suffix": f"{role.value}-{operation}",
    }

    body = await gql(client, query, headers=org.headers(role))

    if role in allowed:
        assert "errors" not in body, body
    else:
        assert body["data"] is None or all(v is None for v in body["data"].values())
        assert [e["extensions"]["code"] for e in body["errors"]] == ["FORBIDDEN"]


REST: dict[str, tuple[str, str, set[Role]]] = {
    "upload": ("POST", "/upload", {A, C}),
    "download_original": ("GET", "/files/%(raw_file_id)s/content", {A, C}),
}


@pytest.mark.parametrize("operation", sorted(REST))
@pytest.mark.parametrize("role", list(Role))
async def test_rest_permission_matrix(
    client: httpx.AsyncClient, world: dict[str, Any], operation: str, role: Role
) -> None:
    method, path, allowed = REST[operation]
    org: Org = world["org"]
    kwargs: dict[str, Any] = {}
    if method == "POST":
        kwargs = {"data": {"patient_mrn": "MRN-PERM-2"}, "files": {"file": ("b.pdf", pdf_bytes())}}

    response = await client.request(method, path % world, headers=org.headers(role), **kwargs)

    assert (response.status_code < 300) == (role in allowed), response.text
    if role not in allowed:
        assert response.status_code == 403
        assert response.json()["error"]["code"] == "forbidden"


async def test_denials_are_audited(client: httpx.AsyncClient, runtime: Runtime) -> None:
    org = await make_org(runtime)
    await gql(client, "{ auditEvents(first: 1) { totalCount } }", headers=org.headers(C))

    body = await gql(
        client,
        '{ auditEvents(filter: {action: "access.denied"}) { edges { node { outcome targetId details } } } }',
        headers=org.headers(U),
    )

    nodes = [e["node"] for e in body["data"]["auditEvents"]["edges"]]
    assert nodes == [
        {"outcome": "denied", "targetId": "graphql:auditEvents", "details": {"role": "CLINICIAN"}}
    ]


async def test_organizations_are_isolated(
    client: httpx.AsyncClient, runtime: Runtime, world: dict[str, Any]
) -> None:
    other = await make_org(runtime)

    by_token = await gql(
        client,
        "query($t: String) { patient(token: $t) { token } }",
        {"t": world["token"]},
        headers=other.headers(C),
    )
    by_mrn = await gql(client, '{ patient(mrn: "MRN-PERM-1") { token } }', headers=other.headers(C))
    file_id = {"id": world["file_id"]}
    by_id = await gql(
        client, "query($id: ID!) { file(id: $id) { sha256 } }", file_id, headers=other.headers(C)
    )
    by_node = await gql(client, "query($id: ID!) { node(id: $id) { id } }", file_id, headers=other.headers(C))
    listing = await gql(client, "{ patients { totalCount } }", headers=other.headers(C))
    download = await client.get(f"/files/{world['raw_file_id']}/content", headers=other.headers(C))

    assert by_token["data"]["patient"] is None
    assert by_mrn["data"]["patient"] is None
    assert by_id["data"]["file"] is None
    assert by_node["data"]["node"] is None
    assert listing["data"]["patients"]["totalCount"] == 0
    assert download.status_code == 404


async def test_anonymous_is_refused(client: httpx.AsyncClient) -> None:
    body = await gql(client, "{ me { username } }")
    upload = await client.post("/upload", files={"file": ("a.pdf", pdf_bytes())}, data={"patient_mrn": "1"})

    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert upload.status_code == 401
