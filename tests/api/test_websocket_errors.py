"""Errors of subscriptions over a live graphql-transport-ws connection carry the `extensions.code` queries and
mutations give: a domain error's own code, a refused permission's, and INTERNAL_ERROR for a masked
unexpected error (whose message and log never echo what caused it)."""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

import httpx
import pytest
import websockets

from api.graphql_client import gql
from api.test_websocket import PROTOCOL, _init, _queued_job, _receive, _send, server_url
from factories.users import Org, make_org
from multimed.auth.models import Role
from multimed.notifications import service as notifications_service
from multimed.observability.logging import JsonFormatter
from multimed.runtime import Runtime

__all__ = ["server_url"]  # the live server fixture, shared with test_websocket.py

PROGRESS = "subscription($id: ID!) { jobProgress(jobId: $id) { status } }"
NOTIFICATIONS = "subscription { notifications { id kind } }"


async def _first_reply(
    server_url: str, org: Org, role: Role, query: str, variables: dict[str, Any] | None = None
) -> dict[str, Any]:
    async with websockets.connect(server_url, subprotocols=[PROTOCOL]) as ws:  # type: ignore[list-item]
        await _init(ws, org.headers(role))
        assert (await _receive(ws))["type"] == "connection_ack"
        payload = {"query": query, "variables": variables or {}}
        await _send(ws, {"id": "1", "type": "subscribe", "payload": payload})
        return await _receive(ws)


async def test_a_domain_error_carries_its_code(
    server_url: str, client: httpx.AsyncClient, runtime: Runtime
) -> None:
    org, other = await make_org(runtime), await make_org(runtime)
    job_id = await _queued_job(client, org)

    reply = await _first_reply(server_url, other, Role.ADMIN, PROGRESS, {"id": job_id})

    assert reply["type"] == "next", reply
    [error] = reply["payload"]["errors"]
    assert (error["message"], error["extensions"]) == ("job not found", {"code": "JOB_NOT_FOUND"})
    # The same code a query or mutation gives for the same domain error.
    cancel = "mutation($id: ID!) { cancelJob(id: $id) { __typename ... on Error { code } } }"
    body = await gql(client, cancel, {"id": job_id}, headers=other.headers(Role.ADMIN))
    assert body["data"]["cancelJob"]["code"].upper() == error["extensions"]["code"]


async def test_a_refused_permission_carries_its_code(
    server_url: str, client: httpx.AsyncClient, runtime: Runtime
) -> None:
    org = await make_org(runtime)
    job_id = await _queued_job(client, org)

    reply = await _first_reply(server_url, org, Role.AUDITOR, PROGRESS, {"id": job_id})

    # Refused before the stream starts: an `error` message, its payload the list of errors.
    assert reply["type"] == "error", reply
    [error] = reply["payload"]
    assert error["extensions"] == {"code": "FORBIDDEN"}
    query = await gql(client, "{ patients { totalCount } }", headers=org.headers(Role.AUDITOR))
    assert query["errors"][0]["extensions"] == {"code": "FORBIDDEN"}


async def test_an_unexpected_error_is_masked_with_a_code(
    server_url: str, runtime: Runtime, caplog: pytest.LogCaptureFixture
) -> None:
    org = await make_org(runtime)
    user = org.users[Role.CLINICIAN]
    secret = "Patient John Smith MRN 998877"
    async with websockets.connect(server_url, subprotocols=[PROTOCOL]) as ws:  # type: ignore[list-item]
        await _init(ws, org.headers(Role.CLINICIAN))
        assert (await _receive(ws))["type"] == "connection_ack"
        await _send(ws, {"id": "n", "type": "subscribe", "payload": {"query": NOTIFICATIONS}})
        # A malformed event on the caller's channel (the bus carries notification ids): reading it back
        # fails in an unexpected way. The subscription listens once the server has the subscribe frame;
        # publish until it hears (a first publication can precede its listener).
        with caplog.at_level(logging.ERROR):
            for _ in range(100):
                await runtime.events.publish(notifications_service.channel(user.id), {"id": secret})
                try:
                    reply = await _receive_within(ws, 0.2)
                    break
                except TimeoutError:
                    continue
            else:
                pytest.fail("the subscription never received the event")

    assert reply["type"] == "next", reply
    [error] = reply["payload"]["errors"]
    assert (error["message"], error["extensions"]) == ("Unexpected error.", {"code": "INTERNAL_ERROR"})
    assert secret not in json.dumps(reply)
    logged = "\n".join(JsonFormatter().format(record) for record in caplog.records)
    assert "ValueError" in logged
    assert secret not in logged


async def _receive_within(ws: Any, seconds: float) -> dict[str, Any]:
    return dict(json.loads(await asyncio.wait_for(ws.recv(), timeout=seconds)))
