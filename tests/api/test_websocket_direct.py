"""jobProgress events sent from the shared feed's loop: in order, and a client that stops reading holds up
no one else.

A subscriber waiting for its next event takes it directly in the feed's loop (its task is not woken); one
still busy with an earlier event gets it on its queue, behind that one. A send the socket makes wait (its
client reads nothing) is finished by a task of its own, and that subscriber's later events wait for it.
"""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
import websockets

from api.test_websocket import PROTOCOL, _queued_job
from factories.servers import uvicorn_in_loop
from factories.users import make_org
from multimed.app import create_app
from multimed.auth.models import Role
from multimed.graphql.relay import uuid_of
from multimed.graphql.schema import schema
from multimed.graphql.shared_feed import Member, Selection, SharedEvent
from multimed.jobs import events
from multimed.runtime import Runtime

QUERY = "subscription($id: ID!) { jobProgress(jobId: $id) { status progress message } }"


def _event(progress: float) -> SharedEvent:
    return SharedEvent({"progress": progress}, b"{}")


async def test_the_reader_waiting_takes_an_event_directly_and_a_busy_one_gets_it_in_order() -> None:
    member = Member(Selection.of(schema, QUERY, {"id": "j"}, None))
    taken: list[float] = []

    def direct(item: SharedEvent) -> bool:
        if item.event["progress"] == 0.9:  # left to the reader
            return False
        if item.event["progress"] == 0.95:
            raise ConnectionError("the socket is gone")  # the reader meets it on its own path
        taken.append(item.event["progress"])
        return True

    member.direct = direct
    member.offer(_event(0.1))  # the reader has not started reading: queued
    assert taken == []
    assert (await anext(member)).event["progress"] == 0.1
    member.offer(_event(0.2))  # the reader is busy with 0.1: queued, behind it
    assert taken == []

    assert (await anext(member)).event["progress"] == 0.2
    reading = asyncio.ensure_future(anext(member))
    await asyncio.sleep(0)  # the reader waits, done with everything before
    member.offer(_event(0.3))
    member.offer(_event(0.4))
    await asyncio.sleep(0)
    assert taken == [0.3, 0.4]
    assert not reading.done()  # not woken

    member.offer(_event(0.9))
    assert (await reading).event["progress"] == 0.9
    reading = asyncio.ensure_future(anext(member))
    await asyncio.sleep(0)
    member.offer(_event(0.95))
    assert (await reading).event["progress"] == 0.95
    assert taken == [0.3, 0.4]


@pytest.fixture(scope="module")
async def server_url(runtime: Runtime) -> AsyncIterator[str]:
    async with uvicorn_in_loop(create_app(runtime=runtime)) as port:
        yield f"ws://127.0.0.1:{port}/graphql"


async def _subscriber(stack: AsyncExitStack, url: str, token: str, job_id: str, **connect: Any) -> Any:
    # No compression: the test's payloads must take the room they say on the wire.
    connecting = websockets.connect(url, subprotocols=[PROTOCOL], max_size=2**22, compression=None, **connect)  # type: ignore[list-item]
    ws = await stack.enter_async_context(connecting)
    await ws.send(json.dumps({"type": "connection_init", "payload": {"authorization": token}}))
    assert json.loads(await asyncio.wait_for(ws.recv(), timeout=30))["type"] == "connection_ack"
    subscribe = {"query": QUERY, "variables": {"id": job_id}}
    await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": subscribe}))
    assert json.loads(await asyncio.wait_for(ws.recv(), timeout=30))["type"] == "next"  # the current state
    return ws


async def _rest(ws: Any) -> list[Any]:
    """Each message after the current state, up to `complete`: progress of a `next`, or the type."""
    received: list[Any] = []
    while not received or received[-1] != "complete":
        message = json.loads(await asyncio.wait_for(ws.recv(), timeout=30))
        received.append(
            message["payload"]["data"]["jobProgress"]["progress"]
            if message["type"] == "next"
            else message["type"]
        )
    return received


async def test_a_client_that_reads_nothing_holds_up_no_one_and_gets_every_event_in_order_later(
    server_url: str, client: httpx.AsyncClient, runtime: Runtime
) -> None:
    org = await make_org(runtime)
    job_id = await _queued_job(client, org)
    token = org.headers(Role.ANALYST)["Authorization"]
    count, size = 100, 200_000  # 20 MB: more than loopback's socket buffers hold, so the server must wait
    async with AsyncExitStack() as stack:
        small = socket.socket()
        small.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        small.connect(("127.0.0.1", int(server_url.split(":")[2].split("/")[0])))
        stalled = await _subscriber(stack, server_url, token, job_id, sock=small, max_queue=1)
        reader = await _subscriber(stack, server_url, token, job_id)
        reading = asyncio.ensure_future(_rest(reader))
        key = uuid_of(job_id, "Job")
        for i in range(1, count + 1):
            event = {
                "jobId": str(key),
                "status": "SUCCEEDED" if i == count else "RUNNING",
                "stage": "ANALYZE",
                "progress": i / count,
                "message": "x" * size,
                "at": datetime.now(UTC).isoformat(),
            }
            await runtime.events.publish(events.channel(key), event)
            await asyncio.sleep(0)

        expected = [i / count for i in range(1, count + 1)] + ["complete"]
        assert await asyncio.wait_for(reading, timeout=60) == expected  # while the stalled one reads nothing
        assert await _rest(stalled) == expected
