"""The Starlette application: REST shim, GraphQL (HTTP and WebSocket) and middleware, built from settings."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import Route, WebSocketRoute

from multimed.core.errors import DomainError
from multimed.core.settings import Settings, get_settings
from multimed.graphql.cacheable import CacheableDocuments
from multimed.graphql.persisted import PACKAGED_MANIFEST, Manifest
from multimed.graphql.response_cache import ResponseCache
from multimed.graphql.schema import build_schema
from multimed.graphql.view import MultimedGraphQL
from multimed.observability.logging import configure_logging
from multimed.observability.metrics import Metrics, MetricsMiddleware
from multimed.rest import (
    routes_auth,
    routes_deid,
    routes_files,
    routes_health,
    routes_openapi,
    routes_summaries,
)
from multimed.rest.middleware import RequestIdMiddleware
from multimed.rest.responses import domain_error_handler, unexpected_error_handler
from multimed.runtime import Runtime, build_runtime

# The collector's youngest generation is collected when allocations minus frees of container objects reach
# this. The default (700) is crossed by the live objects of a few requests in flight, not by garbage (a
# request leaves none: see graphql/plain_completion.py), so each collection walked live objects and
# promoted them, and the older generations' collections then walked them again: measured in-process, 10
# concurrent summaries requests, 308 young and 28 middle collections per 1,500 requests, about 0.8 ms of
# stalled event loop per request; at 50,000, none. Cycles are still collected, later.
YOUNG_COLLECTION_THRESHOLD = 50_000


def create_app(settings: Settings | None = None, runtime: Runtime | None = None) -> Starlette:
    """The ASGI app. Given a runtime, the caller owns it; otherwise the lifespan builds and closes one."""
    settings = settings or (runtime.settings if runtime else get_settings())
    metrics = runtime.metrics if runtime else Metrics()

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        own = runtime is None
        current = runtime or await build_runtime(
            settings, migrate=settings.migrate_on_start, bootstrap=settings.migrate_on_start, metrics=metrics
        )
        app.state.runtime = current
        graphql.runtime = current
        await current.jobs.start()
        # Everything loaded so far (the schema, models' modules, torch) lives as long as the process: out of
        # the collector's sight, a full collection no longer walks millions of objects in a request's path.
        gc.freeze()
        gc.set_threshold(YOUNG_COLLECTION_THRESHOLD, *gc.get_threshold()[1:])
        try:
            yield
        finally:
            if own:
                await current.close()

    schema = build_schema(
        max_depth=settings.graphql_max_depth,
        max_aliases=settings.graphql_max_aliases,
        max_tokens=settings.graphql_max_tokens,
        max_cost=settings.graphql_max_cost,
        persisted_queries=settings.persisted_queries,
        persisted_manifest=settings.persisted_queries_manifest,
    )
    graphql = MultimedGraphQL(
        runtime=runtime,  # type: ignore[arg-type]  # set in lifespan when built there
        response_cache=ResponseCache(
            documents=CacheableDocuments(schema._schema, max_tokens=settings.graphql_max_tokens),
            persisted_mode=settings.persisted_queries,
            manifest=Manifest(settings.persisted_queries_manifest or PACKAGED_MANIFEST),
        )
        if settings.cache_responses
        else None,
        schema=schema,
        graphql_ide="graphiql" if settings.graphiql else None,
        multipart_uploads_enabled=True,
        allowed_origins=settings.allowed_origins,
    )
    routes = [
        *routes_health.routes,
        *routes_auth.routes,
        *routes_files.routes,
        *routes_deid.routes,
        *routes_summaries.routes,
        *routes_openapi.routes,
        Route("/graphql", graphql, methods=["GET", "POST"]),
        WebSocketRoute("/graphql", graphql),
    ]
    app = Starlette(
        routes=routes,
        lifespan=lifespan,
        exception_handlers={DomainError: domain_error_handler, Exception: unexpected_error_handler},
        middleware=[
            Middleware(RequestIdMiddleware),
            Middleware(MetricsMiddleware, metrics=metrics, routes=routes),
        ],
    )
    if runtime is not None:
        app.state.runtime = runtime
    return app


def asgi() -> Starlette:
    """Factory for `uvicorn --factory multimed.app:asgi`."""
    settings = get_settings()
    configure_logging(settings.log_level, settings.log_json)
    return create_app(settings)
