"""jobProgress fan-out on a live server: a job's subscribers share one execution per event and selection.

The server's schema carries one more extension, which counts the executions of a jobProgress selection on an
event (Strawberry's own `on_execute` hook, whose root value is then the event) and the results Strawberry
streamed to subscribers one by one (`on_stream_result`). The events are published on the runtime's bus, as a
worker publishes them (see benchmarks/fanout.py for the same with 500 subscribers and Redis).
"""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from contextlib import AsyncExitStack
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
import websockets
from starlette.applications import Starlette
from starlette.routing import WebSocketRoute
from strawberry.extensions import SchemaExtension
from strawberry.types.execution import ExecutionResult, StreamExecutionResult

from api.test_websocket import PROTOCOL, _queued_job
from factories.servers import uvicorn_in_loop
from factories.users import Org, make_org
from multimed.auth.models import Role
from multimed.graphql.context import Context
from multimed.graphql.jobs.subscriptions import JobEvent
from multimed.graphql.relay import uuid_of
from multimed.graphql.schema import build_schema, schema
from multimed.graphql.shared_feed import Selection, feed_of
from multimed.graphql.view import MultimedGraphQL
from multimed.jobs import events
from multimed.runtime import Runtime

PROGRESS = "subscription($id: ID!) { jobProgress(jobId: $id) { status progress } }"
FULL = (
    "subscription($id: ID!) { jobProgress(jobId: $id) { __typename jobId status stage progress message at } }"
)
OTHER_SHAPE = (
    "subscription Watch($id: ID!) { p: jobProgress(jobId: $id) { ...F } } "
    "fragment F on JobEvent { stage message }"
)


class CountExecutions(SchemaExtension):
    def __init__(self, counts: Counter[str]) -> None:
        self.counts = counts

    def on_execute(self) -> Iterator[None]:
        if isinstance(self.execution_context.root_value, JobEvent):
            self.counts[self.execution_context.query or ""] += 1
        yield

    def on_stream_result(self, result: StreamExecutionResult) -> Iterator[None]:
        self.counts["streamed one by one"] += 1
        yield


@pytest.fixture(scope="module")
def counts() -> Counter[str]:
    return Counter()


@pytest.fixture(scope="module")
async def fanout_url(runtime: Runtime, counts: Counter[str]) -> AsyncIterator[str]:
    schema = build_schema()
    schema.extensions = (*schema.extensions, lambda: CountExecutions(counts))
    view = MultimedGraphQL(runtime=runtime, schema=schema, graphql_ide=None)
    async with uvicorn_in_loop(Starlette(routes=[WebSocketRoute("/graphql", view)])) as port:
        yield f"ws://127.0.0.1:{port}/graphql"


class Connection:
    """One graphql-transport-ws client; messages are kept by operation id in arrival order."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self.by_id: dict[str, list[dict[str, Any]]] = {}

    async def send(self, message: dict[str, Any]) -> None:
        await self.ws.send(json.dumps(message))

    async def subscribe(self, op_id: str, query: str, job_id: str, operation_name: str | None = None) -> None:
        payload: dict[str, Any] = {"query": query, "variables": {"id": job_id}}
        if operation_name:
            payload["operationName"] = operation_name
        await self.send({"id": op_id, "type": "subscribe", "payload": payload})

    async def until(self, op_id: str, count: int) -> list[dict[str, Any]]:
        """Read until operation `op_id` has `count` messages; all of them."""
        while len(self.by_id.get(op_id, [])) < count:
            message = json.loads(await asyncio.wait_for(self.ws.recv(), timeout=30))
            self.by_id.setdefault(message["id"], []).append(message)
        return self.by_id[op_id]


async def _connect(stack: AsyncExitStack, url: str, org: Org, role: Role = Role.ANALYST) -> Connection:
    ws = await stack.enter_async_context(websockets.connect(url, subprotocols=[PROTOCOL]))  # type: ignore[list-item]
    connection = Connection(ws)
    await connection.send(
        {"type": "connection_init", "payload": {"authorization": org.headers(role)["Authorization"]}}
    )
    assert json.loads(await asyncio.wait_for(ws.recv(), timeout=30))["type"] == "connection_ack"
    return connection


async def _publish(
    runtime: Runtime,
    job_gid: str,
    status: str,
    progress: float,
    message: str = "analyze",
    stage: str | None = "ANALYZE",
) -> None:
    job_id = uuid_of(job_gid, "Job")
    event = {
        "jobId": str(job_id),
        "status": status,
        "stage": stage,
        "progress": progress,
        "message": message,
        "at": datetime.now(UTC).isoformat(),
    }
    await runtime.events.publish(events.channel(job_id), event)


def _data(messages: list[dict[str, Any]]) -> list[Any]:
    return [m["payload"]["data"] if m["type"] == "next" else m["type"] for m in messages]


async def test_subscribers_of_one_job_share_one_execution_per_event(
    fanout_url: str, client: httpx.AsyncClient, runtime: Runtime, counts: Counter[str]
) -> None:
    org = await make_org(runtime)
    job_id = await _queued_job(client, org)
    counts.clear()
    async with AsyncExitStack() as stack:
        connections = [await _connect(stack, fanout_url, org) for _ in range(4)]
        for connection in connections:
            await connection.subscribe("1", PROGRESS, job_id)
        await connections[0].subscribe("2", PROGRESS, job_id)  # a second one on the same socket
        subscribers = [(c, "1") for c in connections] + [(connections[0], "2")]
        for connection, op_id in subscribers:  # the current state: each is listening from here on
            assert _data(await connection.until(op_id, 1)) == [
                {"jobProgress": {"status": "QUEUED", "progress": 0.0}}
            ]

        # The state each subscriber read (a change made between its listening and its reading): not sent.
        await _publish(runtime, job_id, "QUEUED", 0.0, message="queued", stage=None)
        await _publish(runtime, job_id, "RUNNING", 0.25)
        await _publish(runtime, job_id, "RUNNING", 0.5)
        await _publish(runtime, job_id, "SUCCEEDED", 1.0)
        received = [await connection.until(op_id, 5) for connection, op_id in subscribers]

    expected = [
        {"jobProgress": {"status": "QUEUED", "progress": 0.0}},
        {"jobProgress": {"status": "RUNNING", "progress": 0.25}},
        {"jobProgress": {"status": "RUNNING", "progress": 0.5}},
        {"jobProgress": {"status": "SUCCEEDED", "progress": 1.0}},
        "complete",
    ]
    assert [_data(messages) for messages in received] == [expected] * len(subscribers)
    # Four events (one not sent), five subscribers: four executions; only the first states were streamed
    # one by one.
    assert counts[PROGRESS] == 4
    assert counts["streamed one by one"] == len(subscribers)
    assert feed_of(runtime.events, events.channel(uuid_of(job_id, "Job"))) is None  # all left: closed


async def test_another_selection_gets_its_own_shape_and_another_organization_nothing(
    fanout_url: str, client: httpx.AsyncClient, runtime: Runtime, counts: Counter[str]
) -> None:
    org, other = await make_org(runtime), await make_org(runtime)
    job_id = await _queued_job(client, org)
    counts.clear()
    async with AsyncExitStack() as stack:
        first, second, outsider = (
            await _connect(stack, fanout_url, org),
            await _connect(stack, fanout_url, org, Role.CLINICIAN),
            await _connect(stack, fanout_url, other, Role.ADMIN),
        )
        await first.subscribe("plain", PROGRESS, job_id)
        await second.subscribe("shaped", OTHER_SHAPE, job_id, "Watch")
        await second.subscribe("plain", PROGRESS, job_id)
        await first.until("plain", 1)
        await second.until("shaped", 1)
        await second.until("plain", 1)
        await outsider.subscribe("x", PROGRESS, job_id)
        refused = await outsider.until("x", 2)

        await _publish(runtime, job_id, "RUNNING", 0.5, message="extract")
        await _publish(runtime, job_id, "FAILED", 0.5, message="timeout")
        plain, shaped, plain_too = (
            await first.until("plain", 4),
            await second.until("shaped", 4),
            await second.until("plain", 4),
        )

        with pytest.raises(TimeoutError):  # none of the job's events reached the outsider
            await asyncio.wait_for(outsider.ws.recv(), timeout=0.3)

    assert [m["type"] for m in refused] == ["next", "complete"]
    [error] = refused[0]["payload"]["errors"]
    assert (error["message"], error["extensions"]) == ("job not found", {"code": "JOB_NOT_FOUND"})
    assert (
        _data(plain)
        == _data(plain_too)
        == [
            {"jobProgress": {"status": "QUEUED", "progress": 0.0}},
            {"jobProgress": {"status": "RUNNING", "progress": 0.5}},
            {"jobProgress": {"status": "FAILED", "progress": 0.5}},
            "complete",
        ]
    )
    assert _data(shaped) == [
        {"p": {"stage": None, "message": "queued"}},
        {"p": {"stage": "ANALYZE", "message": "extract"}},
        {"p": {"stage": "ANALYZE", "message": "timeout"}},
        "complete",
    ]
    assert (counts[PROGRESS], counts[OTHER_SHAPE]) == (2, 2)  # once per event and selection


async def test_complete_stops_one_subscriber_and_the_others_go_on(
    fanout_url: str, client: httpx.AsyncClient, runtime: Runtime
) -> None:
    org = await make_org(runtime)
    job_id = await _queued_job(client, org)
    channel = events.channel(uuid_of(job_id, "Job"))
    async with AsyncExitStack() as stack:
        one, two, three = [await _connect(stack, fanout_url, org) for _ in range(3)]
        for op_id in ("a", "b"):
            await one.subscribe(op_id, PROGRESS, job_id)
            await one.until(op_id, 1)
        await two.subscribe("c", PROGRESS, job_id)
        await two.until("c", 1)
        await three.subscribe("d", PROGRESS, job_id)
        await three.until("d", 1)
        await _publish(runtime, job_id, "RUNNING", 0.25)
        await one.until("a", 2)
        await three.until("d", 2)

        await one.send({"id": "a", "type": "complete"})  # "a" stops
        await three.ws.close()  # "d" goes away without a word
        for _ in range(250):  # the server drops both from the feed once their tasks have ended
            feed = feed_of(runtime.events, channel)
            if feed is not None and len(feed.members) == 2:
                break
            await asyncio.sleep(0.02)
        else:
            pytest.fail("the stopped subscribers are still in the feed")
        await _publish(runtime, job_id, "RUNNING", 0.75)
        await _publish(runtime, job_id, "CANCELLED", 0.75)
        b, c = await one.until("b", 5), await two.until("c", 5)

    assert len(one.by_id["a"]) == 2  # the state and the first event, then nothing: not even `complete`
    assert _data(b) == _data(c)
    assert [d["jobProgress"]["progress"] if isinstance(d, dict) else d for d in _data(b)] == [
        0.0,
        0.25,
        0.75,
        0.75,
        "complete",
    ]


async def test_a_malformed_event_is_masked_with_a_code_for_every_subscriber(
    fanout_url: str, client: httpx.AsyncClient, runtime: Runtime
) -> None:
    org = await make_org(runtime)
    job_id = await _queued_job(client, org)
    async with AsyncExitStack() as stack:
        connections = [await _connect(stack, fanout_url, org) for _ in range(2)]
        for connection in connections:
            await connection.subscribe("1", PROGRESS, job_id)
            await connection.until("1", 1)
        await _publish(runtime, job_id, "NO-SUCH-STATUS", 0.5)
        replies = [(await connection.until("1", 3))[1:] for connection in connections]

    for error_reply, end in replies:
        assert error_reply["type"] == "next"
        [error] = error_reply["payload"]["errors"]
        assert (error["message"], error["extensions"]) == ("Unexpected error.", {"code": "INTERNAL_ERROR"})
        assert end == {"id": "1", "type": "complete"}


async def test_a_shared_payload_is_the_one_strawberry_sends_one_by_one(
    fanout_url: str, client: httpx.AsyncClient, runtime: Runtime
) -> None:
    """The same events, one subscriber on the shared path and one on Strawberry's own (no WebSocket handler:
    each event yielded and executed for it), a field error among them: the same payloads."""
    org = await make_org(runtime)
    job_id = await _queued_job(client, org)
    context = Context(runtime=runtime, principal=org.principal(Role.ANALYST), request_id=None)
    direct = await schema.subscribe(FULL, variable_values={"id": job_id}, context_value=context)
    assert not isinstance(direct, ExecutionResult), direct
    try:
        async with AsyncExitStack() as stack:
            connection = await _connect(stack, fanout_url, org)
            await connection.subscribe("1", FULL, job_id)
            await connection.until("1", 1)
            await anext(direct)  # the state: listening from here on
            await _publish(runtime, job_id, "RUNNING", 0.5)
            await _publish(runtime, job_id, "RUNNING", float("nan"))  # a Float cannot be NaN: a field error
            await _publish(runtime, job_id, "SUCCEEDED", 1.0)
            shared = [message["payload"] for message in (await connection.until("1", 5))[1:4]]
            one_by_one = [await anext(direct) for _ in range(3)]
    finally:
        await direct.aclose()

    assert shared == [
        {"data": result.data} | ({"errors": [e.formatted for e in result.errors]} if result.errors else {})
        for result in one_by_one
    ]
    assert shared[1]["errors"][0]["path"] == ["jobProgress", "progress"]


def test_feed_keys_tell_selections_apart() -> None:
    """Same document, variables (in any key order) and operation name share; anything else does not."""
    schema, other_schema = build_schema(), build_schema()
    same = Selection.of(schema, PROGRESS, {"id": "j", "x": 1}, None)
    assert same == Selection.of(schema, PROGRESS, {"x": 1, "id": "j"}, None)
    assert same != Selection.of(schema, PROGRESS, {"id": "k", "x": 1}, None)
    assert same != Selection.of(schema, PROGRESS, {"id": "j", "x": 1}, "Op")
    assert same != Selection.of(schema, PROGRESS + " ", {"id": "j", "x": 1}, None)
    assert same != Selection.of(other_schema, PROGRESS, {"id": "j", "x": 1}, None)
