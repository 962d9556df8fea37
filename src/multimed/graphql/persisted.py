"""Persisted queries: an allow-list of operations by SHA-256, in Apollo's automatic-persisted-queries shape.

A client sends `{"extensions": {"persistedQuery": {"version": 1, "sha256Hash": "<hex>"}}}` (POST body or GET
parameters) instead of, or together with, the query text. The hashes come from a manifest `{hash: query}`
built from the dashboard's `.graphql` files (`multimed graphql manifest`); the packaged one is
`graphql/operations/manifest.json`. `MULTIMED_PERSISTED_QUERIES` chooses:

- `off`: hashes are not understood (`PERSISTED_QUERY_NOT_SUPPORTED`); text runs as usual;
- `allow` (default): a known hash runs its query, text runs as usual;
- `enforce`: only operations in the manifest run. Text that is not a manifest entry is refused with
  `PERSISTED_QUERY_REQUIRED` (HTTP 400). Text identical to an entry is accepted, because
  graphql-transport-ws subscriptions carry no `extensions` in Strawberry.

In every mode but `off`, an unknown hash is `PERSISTED_QUERY_NOT_FOUND` (HTTP 200, as Apollo clients expect
before they retry with the text), and a hash sent with text must be the text's hash
(`PERSISTED_QUERY_HASH_MISMATCH`). A known hash also skips sending, and the server re-reading, the text: the
parser cache is keyed by the text, which is the same every time.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator, Mapping
from functools import cached_property
from pathlib import Path
from typing import Literal

from graphql import GraphQLError, GraphQLSchema, parse, validate
from starlette.responses import Response
from strawberry.extensions import SchemaExtension

PersistedMode = Literal["off", "allow", "enforce"]
OPERATIONS_DIR = Path(__file__).with_name("operations")
PACKAGED_MANIFEST = OPERATIONS_DIR / "manifest.json"
APQ_VERSION = 1
_NAME = re.compile(r"[_A-Za-z][_0-9A-Za-z]*")


def query_hash(query: str) -> str:
    """The hex SHA-256 of the query text, exactly as sent (UTF-8)."""
    return hashlib.sha256(query.encode()).hexdigest()


def manifest_from_directory(directory: Path) -> dict[str, str]:
    """`{hash: query}` for every `*.graphql` file below the directory, in file-name order.

    The query text is the file's content without surrounding whitespace: that is the text a client sends.
    """
    manifest: dict[str, str] = {}
    for path in sorted(directory.rglob("*.graphql")):
        text = path.read_text(encoding="utf-8").strip()
        if text:
            manifest[query_hash(text)] = text
    return manifest


def invalid_operations(schema: GraphQLSchema, manifest: Mapping[str, str]) -> list[str]:
    """`<operation>: <error>` for every manifest entry the schema would refuse (a stale dashboard query)."""
    problems: list[str] = []
    for query in manifest.values():
        try:
            errors = validate(schema, parse(query))
        except GraphQLError as error:
            errors = [error]
        name = query.split("(", 1)[0].split("{", 1)[0].strip()
        problems.extend(f"{name}: {error.message}" for error in errors)
    return problems


class Manifest:
    """The allow-list, read once on first use; a hash that is not its query's hash makes the file invalid."""

    def __init__(self, path: Path = PACKAGED_MANIFEST) -> None:
        self.path = path

    @cached_property
    def queries(self) -> Mapping[str, str]:
        data = json.loads(self.path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
            raise ValueError(f"{self.path}: a persisted-query manifest is a JSON object {{hash: query}}")
        wrong = [key for key, query in data.items() if query_hash(query) != key]
        if wrong:
            raise ValueError(f"{self.path}: {len(wrong)} hashes do not match their queries")
        return data

    def get(self, sha256: str) -> str | None:
        return self.queries.get(sha256)

    def __contains__(self, sha256: object) -> bool:
        return sha256 in self.queries


class PersistedQueryError(GraphQLError):
    """A refusal with a stable code; `status` is the HTTP status when the request came over HTTP."""

    def __init__(self, message: str, code: str, status: int = 400) -> None:
        super().__init__(message, extensions={"code": code})
        self.status = status


def _requested_hash(extensions: Mapping[str, object] | None) -> str | None:
    """The hash of `extensions.persistedQuery`, or None when the request has none."""
    persisted = (extensions or {}).get("persistedQuery")
    if persisted is None:
        return None
    if not isinstance(persisted, dict) or persisted.get("version") != APQ_VERSION:
        raise PersistedQueryError(
            "extensions.persistedQuery must be {version: 1, sha256Hash: <hex>}", "PERSISTED_QUERY_INVALID"
        )
    sha256 = persisted.get("sha256Hash")
    if not isinstance(sha256, str) or len(sha256) != 64:
        raise PersistedQueryError(
            "extensions.persistedQuery.sha256Hash must be 64 hex digits", "PERSISTED_QUERY_INVALID"
        )
    return sha256.lower()


def resolve_query(
    mode: PersistedMode, manifest: Manifest, query: str | None, extensions: Mapping[str, object] | None
) -> str | None:
    """The query text to run for a request, or PersistedQueryError."""
    if mode == "off":
        if not query and (extensions or {}).get("persistedQuery") is not None:
            raise PersistedQueryError("PersistedQueryNotSupported", "PERSISTED_QUERY_NOT_SUPPORTED", 200)
        return query
    sha256 = _requested_hash(extensions)
    if sha256 is None:
        if mode == "enforce" and query and query_hash(query) not in manifest:
            raise PersistedQueryError(
                "This server runs persisted queries only: send extensions.persistedQuery.sha256Hash "
                "of an operation in its manifest.",
                "PERSISTED_QUERY_REQUIRED",
            )
        return query
    if query:
        if query_hash(query) != sha256:
            raise PersistedQueryError(
                "extensions.persistedQuery.sha256Hash is not the SHA-256 of the query text",
                "PERSISTED_QUERY_HASH_MISMATCH",
            )
        if mode == "enforce" and sha256 not in manifest:
            raise PersistedQueryError(
                "This operation is not in the server's persisted-query manifest.", "PERSISTED_QUERY_NOT_FOUND"
            )
        return query
    text = manifest.get(sha256)
    if text is None:
        raise PersistedQueryError("PersistedQueryNotFound", "PERSISTED_QUERY_NOT_FOUND", 200)
    return text


def _stand_in(operation_name: str | None) -> str:
    """A trivial document in place of refused text: the refused text is never parsed.

    It carries the requested operation name, so Strawberry's operation-type check finds it.
    """
    name = operation_name if operation_name and _NAME.fullmatch(operation_name) else "PersistedQueryRefused"
    return f"query {name} {{ __typename }}"


class PersistedQueries(SchemaExtension):
    """Puts the manifest's text in place of a hash, or refuses the request before anything executes.

    After the validation cache in the extension list. A refusal is decided in `on_operation` (before parsing)
    and returned from `on_validate` as the request's only error: Strawberry then returns it without
    executing, on every transport. Raising from a hook instead would kill a WebSocket operation silently.
    """

    def __init__(self, *, mode: PersistedMode, manifest: Manifest) -> None:
        super().__init__()
        self.mode = mode
        self.manifest = manifest
        self.refusal: PersistedQueryError | None = None

    def on_operation(self) -> Iterator[None]:
        context = self.execution_context
        try:
            context.query = resolve_query(
                self.mode, self.manifest, context.query, context.operation_extensions
            )
        except PersistedQueryError as error:
            self.refusal = error
            context.query = _stand_in(context.operation_name)
            response = getattr(context.context, "response", None)
            if isinstance(response, Response):  # HTTP (a WebSocket has no status to set)
                response.status_code = error.status
        yield

    def on_validate(self) -> Iterator[None]:
        if self.refusal is not None:
            self.execution_context.pre_execution_errors = [self.refusal]
        yield
