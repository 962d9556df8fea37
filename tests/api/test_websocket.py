"""graphql-transport-ws on a live server: authentication in connection_init, jobProgress to the end."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import websockets

from factories.files import pdf_bytes
from factories.servers import uvicorn_in_loop
from factories.uploads import upload
from factories.users import Org, make_org
from multimed.app import create_app
from multimed.auth.models import Role
from multimed.graphql.relay import to_global_id
from multimed.runtime import Runtime

PROTOCOL = "graphql-transport-ws"


@pytest.fixture(scope="module")
async def server_url(runtime: Runtime) -> AsyncIterator[str]:
    async with uvicorn_in_loop(create_app(runtime=runtime)) as port:
        yield f"ws://127.0.0.1:{port}/graphql"


async def _send(ws: Any, message: dict[str, Any]) -> None:
    await ws.send(json.dumps(message))


async def _receive(ws: Any) -> dict[str, Any]:
    return dict(json.loads(await asyncio.wait_for(ws.recv(), timeout=30)))


async def _init(ws: Any, headers: dict[str, str]) -> None:
    await _send(ws, {"type": "connection_init", "payload": {"authorization": headers["Authorization"]}})


async def _queued_job(client: httpx.AsyncClient, org: Org) -> str:
    """The global id of the (QUEUED: the shared runtime runs no jobs) job of a new upload."""
    uploaded = await upload(client, org, f"WS-{uuid.uuid4().hex[:6]}", "a.pdf", pdf_bytes())
    return str(to_global_id("Job", uploaded["job_id"]))


async def test_connection_without_a_valid_token_is_refused(server_url: str) -> None:
    for payload in ({}, {"authorization": "Bearer not-a-token"}):
        async with websockets.connect(server_url, subprotocols=[PROTOCOL]) as ws:  # type: ignore[list-item]
            await _send(ws, {"type": "connection_init", "payload": payload})
            with pytest.raises(websockets.ConnectionClosed) as closed:
                await _receive(ws)
            assert closed.value.rcvd is not None
            assert closed.value.rcvd.code == 4403


async def test_job_progress_streams_the_state_and_completes(
    server_url: str, client: httpx.AsyncClient, runtime: Runtime
) -> None:
    org: Org = await make_org(runtime)
    job_id = await _queued_job(client, org)
    async with websockets.connect(server_url, subprotocols=[PROTOCOL]) as ws:  # type: ignore[list-item]
        await _init(ws, org.headers(Role.ANALYST))
        assert (await _receive(ws))["type"] == "connection_ack"
        await _send(
            ws,
            {
                "id": "1",
                "type": "subscribe",
                "payload": {
                    "query": "subscription($id: ID!) { jobProgress(jobId: $id) { status stage progress } }",
                    "variables": {"id": job_id},
                },
            },
        )
        first = await _receive(ws)
        assert first["type"] == "next"
        assert first["payload"]["data"]["jobProgress"] == {"status": "QUEUED", "stage": None, "progress": 0.0}
        cancel = "mutation($id: ID!) { cancelJob(id: $id) { __typename } }"
        await client.post(
            "/graphql",
            json={"query": cancel, "variables": {"id": job_id}},
            headers=org.headers(Role.CLINICIAN),
        )
        second = await _receive(ws)
        assert second["payload"]["data"]["jobProgress"]["status"] == "CANCELLED"
        assert (await _receive(ws)) == {"id": "1", "type": "complete"}


async def test_subscription_of_another_organizations_job_is_an_error(
    server_url: str, client: httpx.AsyncClient, runtime: Runtime
) -> None:
    org, other = await make_org(runtime), await make_org(runtime)
    job_id = await _queued_job(client, org)
    async with websockets.connect(server_url, subprotocols=[PROTOCOL]) as ws:  # type: ignore[list-item]
        await _init(ws, other.headers(Role.ADMIN))
        await _receive(ws)
        await _send(
            ws,
            {
                "id": "x",
                "type": "subscribe",
                "payload": {
                    "query": "subscription($id: ID!) { jobProgress(jobId: $id) { status } }",
                    "variables": {"id": job_id},
                },
            },
        )
        reply = await _receive(ws)
        assert reply["type"] in ("error", "next")
        assert "job not found" in json.dumps(reply)
