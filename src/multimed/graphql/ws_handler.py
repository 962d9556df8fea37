"""graphql-transport-ws: Strawberry's handler, and a way for a subscription to send results it did not run.

Strawberry executes a subscription's selection for every event of every subscriber and encodes each `next`
message on its own. A subscription whose results are the same for many subscribers (jobProgress: one job,
hundreds of dashboards) can instead execute once per event and hand the encoded payload to each subscriber's
operation here, which frames it with that operation's id and writes it to the socket.

Everything else stays Strawberry's: connection_init and `on_ws_connect`, parsing, validation, permissions,
the first result, errors, `complete` from either side. The operation task sets `current_delivery()` for its
own resolver only (a context variable set inside the task), so a resolver run elsewhere (graphql-ws, a test
calling `schema.subscribe`) finds none and yields its results as usual.
"""

from __future__ import annotations

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

    __slots__ = ("_handler", "_operation", "_prefix")

    def __init__(self, handler: TransportWSHandler, operation: Operation[Context, None]) -> None:
        self._handler = handler
        self._operation = operation
        self._prefix = b'{"id":' + orjson.dumps(operation.id) + b',"type":"next","payload":'

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
        if self._operation.completed:
            return
        await self._handler.send_encoded(self._prefix + payload + b"}")


class TransportWSHandler(BaseGraphQLTransportWSHandler[Context, None]):
    async def run_operation(self, operation: Operation[Context, None]) -> None:
        # Runs as the operation's own task (Strawberry creates one per subscribe): the variable is this
        # operation's, and so is every resolver that task runs.
        _delivery.set(OperationDelivery(self, operation))
        await super().run_operation(operation)

    async def send_encoded(self, message: bytes) -> None:
        """Write an encoded message as `send_message` does (the view encodes to bytes: a binary frame)."""
        websocket = self.websocket
        if not isinstance(websocket, ASGIWebSocketAdapter):  # the only adapter of the ASGI view
            raise TypeError(f"no raw send on {type(websocket).__name__}")
        try:
            await websocket.ws.send_bytes(message)
        except WebSocketDisconnect as exc:
            raise WebSocketDisconnected from exc
