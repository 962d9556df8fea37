"""The Strawberry ASGI view: builds the context, guards multipart uploads against CSRF, closes sessions."""

from __future__ import annotations

import json
from typing import Any

import orjson
from cross_web import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.types.unset import UNSET, UnsetType

from multimed.access import authenticate
from multimed.core.errors import DomainError
from multimed.graphql.context import Context
from multimed.graphql.response_cache import ResponseCache
from multimed.graphql.ws_handler import TransportWSHandler
from multimed.observability.logging import request_id_var
from multimed.runtime import Runtime

# A multipart request carrying one of these headers cannot be sent by a plain HTML form, so the browser
# must preflight it (CORS) first: that is what stops cross-site request forgery of uploads.
CSRF_HEADERS = ("x-multimed-csrf", "apollo-require-preflight", "graphql-preflight")


class MultimedGraphQL(GraphQL[Context, None]):
    # graphql-transport-ws as Strawberry's, plus pre-encoded results for subscriptions that share them
    graphql_transport_ws_handler_class = TransportWSHandler

    def __init__(self, runtime: Runtime, response_cache: ResponseCache | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.runtime = runtime
        self.response_cache = response_cache

    async def get_context(self, request: Request | WebSocket, response: Response | WebSocket) -> Context:
        principal = None
        if isinstance(request, Request):
            try:
                principal = authenticate(self.runtime, request.headers.get("authorization"))
            except DomainError as exc:
                raise HTTPException(exc.status, exc.message) from exc
        context = Context(
            runtime=self.runtime,
            principal=principal,
            request_id=request_id_var.get(),
            request=request,
            response=response,
        )
        request.state.graphql_context = context
        return context

    async def on_ws_connect(self, context: Context) -> UnsetType | dict[str, object] | None:
        """Authenticate a WebSocket from its connection_init payload; no valid token, no connection (4403)."""
        params = context.connection_params or {}
        header = params.get("authorization") or params.get("Authorization")
        try:
            context.principal = authenticate(self.runtime, header if isinstance(header, str) else None)
        except DomainError as exc:
            raise ConnectionRejectionError({"code": exc.code}) from exc
        if context.principal is None:
            raise ConnectionRejectionError({"code": "unauthenticated"})
        unset: UnsetType = UNSET
        return unset

    def encode_json(self, data: object) -> bytes:
        """Responses and WebSocket messages through orjson (~5x the json module on a page of summaries)."""
        return orjson.dumps(data)

    def decode_json(self, data: str | bytes) -> object:
        try:
            return orjson.loads(data)
        except orjson.JSONDecodeError as exc:  # a ValueError; Strawberry answers 400 for json's own
            raise json.JSONDecodeError(str(exc), exc.doc, exc.pos) from exc

    def should_render_graphql_ide(self, request: Any) -> bool:
        """Not for a persisted-query GET (`extensions`, no `query`): that is an operation, not a browser."""
        return bool(super().should_render_graphql_ide(request)) and not request.query_params.get("extensions")

    async def parse_multipart(self, request: Any) -> dict[str, str]:
        headers = {k.lower() for k in request.headers}
        if not any(name in headers for name in CSRF_HEADERS):
            raise HTTPException(400, "multipart requests need an 'X-Multimed-CSRF' header (CSRF protection)")
        return await super().parse_multipart(request)

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        try:
            if scope["type"] == "http" and self.response_cache is not None:
                await self.response_cache(self.runtime, super().__call__, scope, receive, send)
            else:
                await super().__call__(scope, receive, send)
        finally:
            # Popped, not read: the request's state holding its context, and the context holding the
            # request, would make every request's whole object graph (rows, results, the session) cyclic
            # garbage, left for the collector, whose full passes then stalled the event loop for 50-300 ms.
            context = scope.get("state", {}).pop("graphql_context", None)
            if isinstance(context, Context):
                await context.close()
