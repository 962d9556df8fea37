"""Whole GraphQL responses from the query cache, for POSTed queries that read immutable rows only.

A dashboard asks the same `summaries(filter: …)` page again and again. Answering it from the page cache
still runs Strawberry over every field (most of the cost); this answers it with the stored response bytes
before Strawberry starts. Safety is the page cache's: keys carry the organization, its generation (taken
before the query runs), the role, and a keyed hash of the document and variables; only documents that
`cacheable.reads_only_immutable` accepts, and only successful answers (status 200, no `errors`), are
stored. Authentication runs on every request; a caller that fails it never reaches the cache.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from multimed.access import authenticate
from multimed.core.errors import DomainError
from multimed.graphql.cacheable import CacheableDocuments
from multimed.graphql.persisted import Manifest, PersistedMode, PersistedQueryError, resolve_query

if TYPE_CHECKING:
    from multimed.runtime import Runtime

METRIC = "graphql-response"
MAX_BODY = 64 * 1024  # larger requests are passed through unread (a cached query is small)
_STORABLE_STATUS = 200


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return bytes(value).decode("latin-1")
    return None


async def _read_body(receive: Receive) -> tuple[list[Message], bytes | None]:
    """The request's messages and its body; None as body when it exceeds MAX_BODY (then not all read)."""
    messages: list[Message] = []
    size = 0
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request":
            return messages, None
        size += len(message.get("body", b""))
        if size > MAX_BODY:
            return messages, None
        if not message.get("more_body", False):
            return messages, b"".join(m.get("body", b"") for m in messages)


def _replay(messages: list[Message], receive: Receive) -> Receive:
    """A receive that hands back what was already read, then continues with the connection's."""
    pending = list(messages)

    async def replay() -> Message:
        if pending:
            return pending.pop(0)
        return await receive()

    return replay


class ResponseCache:
    """Serves and stores whole responses around the Strawberry ASGI app."""

    def __init__(
        self,
        *,
        documents: CacheableDocuments,
        persisted_mode: PersistedMode,
        manifest: Manifest,
    ) -> None:
        self._documents = documents
        self._persisted_mode = persisted_mode
        self._manifest = manifest

    def _operation(self, body: bytes) -> tuple[str, str | None, dict[str, Any]] | None:
        """(document text, operation name, variables) of a cacheable request body, else None."""
        try:
            request = json.loads(body)
        except ValueError:
            return None
        if not isinstance(request, dict):
            return None
        query, name = request.get("query"), request.get("operationName")
        variables, extensions = request.get("variables") or {}, request.get("extensions")
        if not isinstance(variables, dict) or (name is not None and not isinstance(name, str)):
            return None
        if (query is not None and not isinstance(query, str)) or (
            extensions is not None and not isinstance(extensions, dict)
        ):
            return None
        try:
            text = resolve_query(self._persisted_mode, self._manifest, query, extensions)
        except PersistedQueryError:
            return None  # Strawberry answers with the refusal
        if not text or not self._documents(text, name):
            return None
        return text, name, variables

    async def __call__(
        self, runtime: Runtime, app: ASGIApp, scope: Scope, receive: Receive, send: Send
    ) -> None:
        cache = runtime.cache
        content_type = (_header(scope, b"content-type") or "").split(";")[0].strip().lower()
        if not cache.enabled or scope["method"] != "POST" or content_type != "application/json":
            await app(scope, receive, send)
            return
        try:
            principal = authenticate(runtime, _header(scope, b"authorization"))
        except DomainError:
            principal = None  # Strawberry's path answers 401 with the reason
        messages, body = await _read_body(receive)
        replayed = _replay(messages, receive)
        operation = self._operation(body) if principal is not None and body is not None else None
        found = None
        if operation is not None and principal is not None:
            text, name, variables = operation
            found = await cache.lookup(
                query=METRIC,
                organization_id=principal.organization_id,
                role=principal.role.value,
                arguments={
                    "document": hashlib.sha256(text.encode()).hexdigest(),
                    "operation": name,
                    "variables": variables,
                },
            )
        if found is None:
            await app(scope, replayed, send)
            return
        key, cached = found
        if cached is not None:
            await _send_json(send, cached, "hit")
            return
        await self._run_and_store(app, scope, replayed, send, cache_put=lambda v: cache.put(key, v))

    @staticmethod
    async def _run_and_store(
        app: ASGIApp,
        scope: Scope,
        receive: Receive,
        send: Send,
        *,
        cache_put: Callable[[bytes], Awaitable[None]],
    ) -> None:
        status = 0
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", []), (b"x-multimed-cache", b"miss")]
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
            await send(message)

        await app(scope, receive, capture)
        if status != _STORABLE_STATUS:
            return
        response = b"".join(chunks)
        try:
            answer = json.loads(response)
        except ValueError:
            return
        if isinstance(answer, dict) and answer.get("data") is not None and "errors" not in answer:
            await cache_put(response)


async def _send_json(send: Send, body: bytes, outcome: str) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"x-multimed-cache", outcome.encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
