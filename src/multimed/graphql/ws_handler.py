"""graphql-transport-ws: Strawberry's handler, and a way for a subscription to send results it did not run.

Strawberry executes a subscription's selection for every event of every subscriber and encodes each `next`
message on its own. A subscription whose results are the same for many subscribers (jobProgress: one job,
hundreds of dashboards) can instead execute once per event and hand the encoded payload to each subscriber's
operation here, which frames it with that operation's id and writes it to the socket: from the operation's
own task (`send_next`), or from the loop that hands an event to all of them (`send_next_nowait`), which
writes without waiting whenever the socket takes it, so most events wake no subscriber's task at all.

Everything else stays Strawberry's: connection_init and `on_ws_connect`, parsing, validation, permissions,
the first result, errors, `complete` from either side. The operation task sets `current_delivery()` for its
own resolver only (a context variable set inside the task), so a resolver run elsewhere (graphql-ws, a test
calling `schema.subscribe`) finds none and yields its results as usual.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from contextvars import ContextVar
from typing import Any

import orjson
from starlette.websockets import WebSocketDisconnect
from strawberry.asgi import ASGIWebSocketAdapter
from strawberry.http.exceptions import WebSocketDisconnected
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
    Operation,
)

from multimed.graphql.context import Context

_delivery: ContextVar[OperationDelivery | None] = ContextVar("graphql_ws_delivery", default=None)


def current_delivery() -> OperationDelivery | None:
    """The graphql-transport-ws operation whose resolver is running, if it runs under this handler."""
    return _delivery.get()


class OperationDelivery:
    """One subscribe operation: what it asked for, and how to send it a `next` whose payload is encoded."""

    __slots__ = ("_handler", "_operation", "_prefix", "_unfinished")

    def __init__(self, handler: TransportWSHandler, operation: Operation[Context, None]) -> None:
        self._handler = handler
        self._operation = operation
        self._prefix = b'{"id":' + orjson.dumps(operation.id) + b',"type":"next","payload":'
        self._unfinished: asyncio.Task[None] | None = None  # a send_next_nowait the socket made wait

    @property
    def query(self) -> str:
        return self._operation.query

    @property
    def variables(self) -> dict[str, Any] | None:
        return self._operation.variables

    @property
    def operation_name(self) -> str | None:
        return self._operation.operation_name

    async def send_next(self, payload: bytes) -> None:
        """`{"id": <this operation>, "type": "next", "payload": <payload>}`; `payload` is the JSON text of
        a `next` payload ({"data": ..., "errors"?: [...], "extensions"?: {...}}), shared or not."""
        await self.sent()
        if self._operation.completed:
            return
        await self._handler.send_encoded(self._prefix + payload + b"}")

    async def sent(self) -> None:
        """Return once a message `send_next_nowait` began is written: what is sent next goes after it."""
        if self._unfinished is not None:
            await self._unfinished
            self._unfinished = None

    def cancel(self) -> None:
        """The operation ended: a message still waiting for the socket is not sent."""
        if self._unfinished is not None:
            self._unfinished.cancel()

    def send_next_nowait(self, payload: bytes) -> bool:
        """`send_next` from a caller that must not wait: from the feed's loop, for each subscriber in turn.

        False if an earlier message of this operation is still waiting for the socket: nothing was sent, and
        the caller sends it with `send_next` (it then waits its turn). Otherwise the message is written now,
        or, if the socket's buffer is full (a client that does not read), begun, and finished by a task of
        its own that later messages wait for. An error sending is raised as `send_next` raises it.
        """
        if self._unfinished is not None:
            if not self._unfinished.done():
                return False
            self._unfinished = None
        if self._operation.completed:
            return True
        sending = self._handler.send_encoded(self._prefix + payload + b"}")
        try:
            waiting_on = sending.send(None)
        except StopIteration:  # written: the usual case, without a task or a turn of the loop
            return True
        task = asyncio.get_running_loop().create_task(_finish(sending, waiting_on))
        task.add_done_callback(_retrieve)  # a client gone meanwhile: its operation ends on its own path
        self._unfinished = task
        return True


class _Resumed:
    """A coroutine that was run by hand until it waited on `waiting_on`, as an awaitable: the task that
    awaits it waits on that same future first, then drives the coroutine on (`yield from` semantics)."""

    __slots__ = ("_coroutine", "_resumed", "_waiting_on")

    def __init__(self, coroutine: Coroutine[Any, Any, None], waiting_on: object) -> None:
        self._coroutine = coroutine
        self._waiting_on = waiting_on
        self._resumed = False

    def __await__(self) -> _Resumed:
        return self

    def __iter__(self) -> _Resumed:
        return self

    def __next__(self) -> object:
        return self.send(None)

    def send(self, value: object) -> object:
        if not self._resumed:
            self._resumed = True
            return self._waiting_on
        return self._coroutine.send(value)

    def throw(self, *error: Any) -> object:
        self._resumed = True
        return self._coroutine.throw(*error)

    def close(self) -> None:
        self._coroutine.close()


async def _finish(sending: Coroutine[Any, Any, None], waiting_on: object) -> None:
    await _Resumed(sending, waiting_on)  # type: ignore[misc]


def _retrieve(task: asyncio.Task[None]) -> None:
    if not task.cancelled():
        task.exception()


class TransportWSHandler(BaseGraphQLTransportWSHandler[Context, None]):
    async def run_operation(self, operation: Operation[Context, None]) -> None:
        # Runs as the operation's own task (Strawberry creates one per subscribe): the variable is this
        # operation's, and so is every resolver that task runs.
        delivery = OperationDelivery(self, operation)
        _delivery.set(delivery)
        try:
            await super().run_operation(operation)
        finally:
            delivery.cancel()

    async def send_encoded(self, message: bytes) -> None:
        """Write an encoded message as `send_message` does (the view encodes to bytes: a binary frame)."""
        websocket = self.websocket
        if not isinstance(websocket, ASGIWebSocketAdapter):  # the only adapter of the ASGI view
            raise TypeError(f"no raw send on {type(websocket).__name__}")
        try:
            await websocket.ws.send_bytes(message)
        except WebSocketDisconnect as exc:
            raise WebSocketDisconnected from exc
