"""Persisted queries: APQ hashes over POST and GET, the three modes, the manifest and its CLI."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
import websockets
from graphql import parse
from typer.testing import CliRunner

from factories.servers import uvicorn_in_loop
from factories.users import Org, make_org
from multimed.app import create_app
from multimed.auth.models import Role
from multimed.cli import app as cli
from multimed.core.settings import get_settings
from multimed.graphql.cost import operation_cost
from multimed.graphql.persisted import (
    OPERATIONS_DIR,
    PACKAGED_MANIFEST,
    Manifest,
    invalid_operations,
    manifest_from_directory,
    query_hash,
)
from multimed.graphql.relay import to_global_id
from multimed.graphql.schema import schema
from multimed.runtime import Runtime

ME = "query Me {\n  me { id username role createdAt }\n}"  # operations/me.graphql
FREE_TEXT = "{ me { role } }"
ENFORCED_MESSAGE = (
    "This server runs persisted queries only: send extensions.persistedQuery.sha256Hash of an operation "
    "in its manifest."
)


def persisted(sha256: str, version: int = 1) -> dict[str, Any]:
    return {"persistedQuery": {"version": version, "sha256Hash": sha256}}


@asynccontextmanager
async def app_client(runtime: Runtime, **overrides: object) -> AsyncIterator[httpx.AsyncClient]:
    """The app on the shared runtime with some settings changed."""
    settings = runtime.settings.model_copy(update=overrides)
    transport = httpx.ASGITransport(app=create_app(settings, runtime=runtime))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


@pytest.fixture(scope="module")
async def org(runtime: Runtime) -> Org:
    return await make_org(runtime)


async def post(http: httpx.AsyncClient, org: Org, body: dict[str, Any]) -> httpx.Response:
    return await http.post("/graphql", json=body, headers=org.headers(Role.ANALYST))


async def get(http: httpx.AsyncClient, org: Org, params: dict[str, Any]) -> httpx.Response:
    encoded = {k: json.dumps(v) if isinstance(v, dict) else v for k, v in params.items()}
    return await http.get("/graphql", params=encoded, headers=org.headers(Role.ANALYST))


def error_code(response: httpx.Response) -> str:
    return str(response.json()["errors"][0]["extensions"]["code"])


def test_packaged_manifest_is_built_from_the_operations_directory() -> None:
    built = manifest_from_directory(OPERATIONS_DIR)

    assert json.loads(PACKAGED_MANIFEST.read_text()) == built, (
        "manifest.json is stale: run `multimed graphql manifest src/multimed/graphql/operations "
        "--output src/multimed/graphql/operations/manifest.json`"
    )
    assert query_hash(ME) in built


def test_packaged_operations_are_valid_and_affordable() -> None:
    manifest = Manifest().queries
    names = {q.split("(")[0].split("{")[0].strip() for q in manifest.values()}

    assert invalid_operations(schema._schema, manifest) == []
    assert {
        "mutation Login",
        "mutation UploadFile",
        "mutation Summarize",
        "query Job",
        "query SummariesByPatient",
        "query Summary",
        "query Findings",
        "query Notifications",
        "query AnonymizeText",
    } <= names
    limit = get_settings().graphql_max_cost
    for query in manifest.values():  # even at the largest page the dashboard can ask for
        assert operation_cost(schema._schema, parse(query), None, {"first": 100}) <= limit, query


def test_a_manifest_whose_hash_is_not_its_query_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps({query_hash(ME): FREE_TEXT}))

    with pytest.raises(ValueError, match="1 hashes do not match"):
        _ = Manifest(path).queries


async def test_allow_mode_runs_a_hash_over_post_and_get(client: httpx.AsyncClient, org: Org) -> None:
    by_post = await post(client, org, {"extensions": persisted(query_hash(ME))})
    by_get = await get(client, org, {"extensions": persisted(query_hash(ME))})

    assert by_post.status_code == by_get.status_code == 200
    assert by_post.json()["data"]["me"]["role"] == "ANALYST"
    assert by_get.json() == by_post.json()


async def test_allow_mode_runs_text_and_text_with_its_hash(client: httpx.AsyncClient, org: Org) -> None:
    text = await post(client, org, {"query": FREE_TEXT})
    both = await post(client, org, {"query": FREE_TEXT, "extensions": persisted(query_hash(FREE_TEXT))})

    assert text.json() == both.json() == {"data": {"me": {"role": "ANALYST"}}}


async def test_unknown_hash_is_not_found_so_apq_clients_retry_with_text(
    client: httpx.AsyncClient, org: Org
) -> None:
    response = await post(client, org, {"extensions": persisted("0" * 64)})

    assert response.status_code == 200
    assert response.json() == {
        "data": None,
        "errors": [
            {"message": "PersistedQueryNotFound", "extensions": {"code": "PERSISTED_QUERY_NOT_FOUND"}}
        ],
    }


async def test_hash_must_be_the_hash_of_the_text(client: httpx.AsyncClient, org: Org) -> None:
    response = await post(client, org, {"query": FREE_TEXT, "extensions": persisted(query_hash(ME))})

    assert response.status_code == 400
    assert error_code(response) == "PERSISTED_QUERY_HASH_MISMATCH"


@pytest.mark.parametrize(
    "extensions",
    [
        persisted(query_hash(ME), version=2),
        {"persistedQuery": {"version": 1, "sha256Hash": "abc"}},
        {"persistedQuery": "yes"},
    ],
)
async def test_malformed_persisted_query_is_refused(
    client: httpx.AsyncClient, org: Org, extensions: dict[str, Any]
) -> None:
    response = await post(client, org, {"extensions": extensions})

    assert response.status_code == 400
    assert error_code(response) == "PERSISTED_QUERY_INVALID"


async def test_enforce_mode_refuses_free_text(runtime: Runtime, org: Org) -> None:
    async with app_client(runtime, persisted_queries="enforce") as http:
        by_post = await post(http, org, {"query": FREE_TEXT})
        by_get = await get(http, org, {"query": FREE_TEXT})
        named = await post(http, org, {"query": "query Mine { me { id } }", "operationName": "Mine"})

    for response in (by_post, by_get, named):
        assert response.status_code == 400
        assert response.json()["data"] is None
        assert error_code(response) == "PERSISTED_QUERY_REQUIRED"
        assert response.json()["errors"][0]["message"] == ENFORCED_MESSAGE


async def test_enforce_mode_runs_manifest_hashes(runtime: Runtime, org: Org) -> None:
    async with app_client(runtime, persisted_queries="enforce") as http:
        by_post = await post(http, org, {"extensions": persisted(query_hash(ME)), "operationName": "Me"})
        by_get = await get(http, org, {"extensions": persisted(query_hash(ME))})
        with_text = await post(http, org, {"query": ME, "extensions": persisted(query_hash(ME))})
        # graphql-transport-ws subscriptions carry no extensions: a manifest entry's exact text runs too
        exact_text = await post(http, org, {"query": ME})

    for response in (by_post, by_get, with_text, exact_text):
        assert response.status_code == 200
        assert response.json()["data"]["me"]["role"] == "ANALYST"


async def test_enforce_mode_refuses_unknown_hashes(runtime: Runtime, org: Org) -> None:
    async with app_client(runtime, persisted_queries="enforce") as http:
        unknown = await post(http, org, {"extensions": persisted("f" * 64)})
        not_listed = await post(
            http, org, {"query": FREE_TEXT, "extensions": persisted(query_hash(FREE_TEXT))}
        )

    assert (unknown.status_code, error_code(unknown)) == (200, "PERSISTED_QUERY_NOT_FOUND")
    assert (not_listed.status_code, error_code(not_listed)) == (400, "PERSISTED_QUERY_NOT_FOUND")


async def test_enforce_mode_with_a_manifest_from_settings(runtime: Runtime, org: Org, tmp_path: Path) -> None:
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps({query_hash(FREE_TEXT): FREE_TEXT}))

    async with app_client(runtime, persisted_queries="enforce", persisted_queries_manifest=path) as http:
        own = await post(http, org, {"extensions": persisted(query_hash(FREE_TEXT))})
        packaged = await post(http, org, {"extensions": persisted(query_hash(ME))})

    assert own.json() == {"data": {"me": {"role": "ANALYST"}}}
    assert error_code(packaged) == "PERSISTED_QUERY_NOT_FOUND"


async def test_off_mode_ignores_hashes(runtime: Runtime, org: Org) -> None:
    async with app_client(runtime, persisted_queries="off") as http:
        hash_only = await post(http, org, {"extensions": persisted(query_hash(ME))})
        text = await post(http, org, {"query": FREE_TEXT, "extensions": persisted("0" * 64)})

    assert hash_only.status_code == 200
    assert error_code(hash_only) == "PERSISTED_QUERY_NOT_SUPPORTED"
    assert text.json() == {"data": {"me": {"role": "ANALYST"}}}


async def test_unknown_hash_without_a_token_is_only_not_found(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post("/graphql", json={"extensions": persisted("0" * 64)})

    assert error_code(response) == "PERSISTED_QUERY_NOT_FOUND"


def test_manifest_cli_prints_and_writes(tmp_path: Path) -> None:
    (tmp_path / "nested").mkdir()
    (tmp_path / "me.graphql").write_text(ME + "\n")
    (tmp_path / "nested" / "role.graphql").write_text(FREE_TEXT)
    output = tmp_path / "manifest.json"

    printed = CliRunner().invoke(cli, ["graphql", "manifest", str(tmp_path)])
    written = CliRunner().invoke(cli, ["graphql", "manifest", str(tmp_path), "--output", str(output)])

    assert printed.exit_code == written.exit_code == 0
    expected = {query_hash(ME): ME, query_hash(FREE_TEXT): FREE_TEXT}
    assert json.loads(printed.stdout) == json.loads(output.read_text()) == expected


def test_manifest_cli_refuses_an_operation_the_schema_refuses(tmp_path: Path) -> None:
    (tmp_path / "stale.graphql").write_text("query Stale { me { shoeSize } }")

    result = CliRunner().invoke(cli, ["graphql", "manifest", str(tmp_path)])

    assert result.exit_code == 1
    assert "query Stale: Cannot query field 'shoeSize' on type 'User'." in result.stderr


@asynccontextmanager
async def live_server(runtime: Runtime, **overrides: object) -> AsyncIterator[str]:
    """A uvicorn server on a free port (graphql-transport-ws needs a real socket)."""
    settings = runtime.settings.model_copy(update=overrides)
    async with uvicorn_in_loop(create_app(settings, runtime=runtime)) as port:
        yield f"ws://127.0.0.1:{port}/graphql"


async def test_enforce_mode_over_websocket_runs_manifest_text_only(runtime: Runtime, org: Org) -> None:
    progress = next(q for q in Manifest().queries.values() if q.startswith("subscription JobProgress"))
    unknown_job = {"jobId": to_global_id("Job", str(uuid.uuid4()))}
    async with (
        live_server(runtime, persisted_queries="enforce") as url,
        websockets.connect(url, subprotocols=["graphql-transport-ws"]) as ws,  # type: ignore[list-item]
    ):
        auth = org.headers(Role.ANALYST)["Authorization"]
        await ws.send(json.dumps({"type": "connection_init", "payload": {"authorization": auth}}))
        assert json.loads(await ws.recv())["type"] == "connection_ack"
        for op_id, query in (
            ("listed", progress),
            ("free", 'subscription { jobProgress(jobId: "x") { at } }'),
        ):
            payload = {"query": query, "variables": unknown_job}
            await ws.send(json.dumps({"id": op_id, "type": "subscribe", "payload": payload}))
        answers = [json.loads(await asyncio.wait_for(ws.recv(), 10)) for _ in range(3)]

    by_id: dict[str, list[dict[str, Any]]] = {}
    for answer in answers:
        by_id.setdefault(answer["id"], []).append(answer)
    listed, free = by_id["listed"], by_id["free"]
    # the listed subscription ran: its resolver looked for the job and did not find it
    assert [(a["type"], a.get("payload")) for a in listed] == [
        (
            "next",
            {"data": None, "errors": [{"message": "job not found", "extensions": {"code": "JOB_NOT_FOUND"}}]},
        ),
        ("complete", None),
    ]
    # graphql-transport-ws reports an operation refused before execution as one `error` message
    assert free == [
        {
            "id": "free",
            "type": "error",
            "payload": [{"message": ENFORCED_MESSAGE, "extensions": {"code": "PERSISTED_QUERY_REQUIRED"}}],
        }
    ]
