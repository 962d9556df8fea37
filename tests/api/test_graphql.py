"""GraphQL: upload with the CSRF guard, versions, limits, masking, schema drift."""

from __future__ import annotations

import json
from pathlib import Path

import httpx

from api.graphql_client import gql
from factories.files import pdf_bytes
from factories.users import make_org
from multimed.auth.models import Role
from multimed.graphql.schema import schema
from multimed.runtime import Runtime

UPLOAD = """mutation($file: Upload!, $mrn: String!, $name: String) {
  uploadFile(input: {file: $file, patientMrn: $mrn, logicalName: $name}) {
    __typename
    ... on UploadFileSuccess { file { id kind version displayName versions { version } job { status kind } }
                               patient { token } }
    ... on Error { code message }
  }
}"""


async def _upload(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    content: bytes,
    *,
    csrf: bool = True,
    name: str = "labs",
) -> httpx.Response:
    operations = json.dumps({"query": UPLOAD, "variables": {"file": None, "mrn": "GQL-1", "name": name}})
    extra = {"X-Multimed-CSRF": "1"} if csrf else {}
    return await client.post(
        "/graphql",
        headers={**headers, **extra},
        data={"operations": operations, "map": json.dumps({"0": ["variables.file"]})},
        files={"0": ("Jane_Doe.pdf", content, "application/pdf")},
    )


async def test_upload_mutation_versions_and_job(client: httpx.AsyncClient, runtime: Runtime) -> None:
    org = await make_org(runtime)
    headers = org.headers(Role.CLINICIAN)

    await _upload(client, headers, pdf_bytes("v1"))
    second = (await _upload(client, headers, pdf_bytes("v2"))).json()["data"]["uploadFile"]

    assert second["__typename"] == "UploadFileSuccess"
    assert second["file"]["version"] == 2
    assert [v["version"] for v in second["file"]["versions"]] == [1, 2]
    assert second["file"]["job"] == {"status": "QUEUED", "kind": "PROCESS_FILE"}
    assert "Jane" not in second["file"]["displayName"]


async def test_upload_without_csrf_header_is_refused(client: httpx.AsyncClient, runtime: Runtime) -> None:
    org = await make_org(runtime)

    response = await _upload(client, org.headers(Role.CLINICIAN), pdf_bytes(), csrf=False)

    assert response.status_code == 400
    assert "CSRF" in response.text


async def test_upload_errors_are_typed(client: httpx.AsyncClient, runtime: Runtime) -> None:
    org = await make_org(runtime)

    body = (await _upload(client, org.headers(Role.CLINICIAN), b"plain text, not a medical file" * 30)).json()

    assert body["data"]["uploadFile"]["__typename"] == "UnsupportedFileTypeError"
    assert body["data"]["uploadFile"]["code"] == "unsupported_file_type"


async def test_patient_files_connection_pages(client: httpx.AsyncClient, runtime: Runtime) -> None:
    org = await make_org(runtime)
    headers = org.headers(Role.CLINICIAN)
    for name in ("a", "b", "c"):
        await _upload(client, headers, pdf_bytes(name), name=name)
    query = """query($after: String) { patient(mrn: "GQL-1") { files(first: 2, after: $after) {
        totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } } }"""

    first = (await gql(client, query, {"after": None}, headers=headers))["data"]["patient"]["files"]
    second = (await gql(client, query, {"after": first["pageInfo"]["endCursor"]}, headers=headers))["data"][
        "patient"
    ]["files"]

    assert first["totalCount"] == 3
    assert first["pageInfo"]["hasNextPage"] is True
    assert second["pageInfo"]["hasNextPage"] is False
    ids = [e["node"]["id"] for e in first["edges"] + second["edges"]]
    assert len(set(ids)) == 3


async def test_depth_limit(client: httpx.AsyncClient, runtime: Runtime) -> None:
    org = await make_org(runtime)
    deep = (
        "{ patients { edges { node { files { edges { node { patient { files { edges { node { patient { "
        "files { edges { node { id } } } } } } } } } } } } } } }"
    )

    body = await gql(client, deep, headers=org.headers(Role.CLINICIAN))

    assert "exceeds maximum operation depth" in body["errors"][0]["message"]


async def test_bad_id_is_a_clear_error(client: httpx.AsyncClient, runtime: Runtime) -> None:
    org = await make_org(runtime)

    body = await gql(client, '{ file(id: "bm90LWEtZmlsZQ") { id } }', headers=org.headers(Role.CLINICIAN))

    assert body["errors"][0]["extensions"]["code"] == "INVALID_ID"


def test_committed_schema_matches_the_code() -> None:
    committed = (Path(__file__).resolve().parents[2] / "schema.graphql").read_text()

    assert committed == schema.as_str() + "\n", "schema.graphql is stale: run `make schema`"
