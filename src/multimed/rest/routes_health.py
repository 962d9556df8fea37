"""Liveness, readiness and Prometheus metrics."""

from __future__ import annotations

import asyncio

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import text
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from multimed.runtime import Runtime

CHECK_TIMEOUT_SECONDS = 3.0


async def health(request: Request) -> Response:
    return JSONResponse({"status": "ok"})


async def _check(name: str, probe: object) -> tuple[str, str]:
    try:
        await asyncio.wait_for(probe, CHECK_TIMEOUT_SECONDS)  # type: ignore[arg-type]
        return name, "ok"
    except Exception:  # any failure means not ready; the reason stays in our logs
        return name, "unavailable"


async def ready(request: Request) -> Response:
    runtime: Runtime = request.app.state.runtime

    async def database() -> None:
        async with runtime.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))

    async def redis() -> None:
        assert runtime.redis is not None
        await runtime.redis.ping()  # type: ignore[misc]  # redis-py types ping as sync-or-async

    probes = [_check("database", database()), _check("blob_store", runtime.blobs.check())]
    if runtime.redis is not None:
        # The broker of the Celery runner and the event bus across processes are this Redis.
        probes += [_check("queue", redis()), _check("event_bus", redis())]
    checks = dict(await asyncio.gather(*probes))
    checks.setdefault("queue", "ok")  # in-process: it lives as long as this process does
    checks.setdefault("event_bus", "ok")
    ok = all(state == "ok" for state in checks.values())
    # Models load on first use; their state is reported but does not make the service unready.
    checks.update(
        {name: "loaded" if loaded else "not_loaded" for name, loaded in runtime.models_loaded().items()}
    )
    return JSONResponse(
        {"status": "ready" if ok else "unavailable", "checks": checks}, status_code=200 if ok else 503
    )


async def metrics(request: Request) -> Response:
    runtime: Runtime = request.app.state.runtime
    pool = runtime.engine.pool
    runtime.metrics.db_pool_checked_out.set(getattr(pool, "checkedout", lambda: 0)())
    runtime.metrics.db_pool_size.set(getattr(pool, "size", lambda: 0)())
    return Response(generate_latest(runtime.metrics.registry), media_type=CONTENT_TYPE_LATEST)


routes = [
    Route("/health", health, methods=["GET"]),
    Route("/health/ready", ready, methods=["GET"]),
    Route("/metrics", metrics, methods=["GET"]),
]
