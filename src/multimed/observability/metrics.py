"""Prometheus metrics: labels are route templates and status codes, never paths or values."""

from __future__ import annotations

import time
from collections.abc import Sequence

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from starlette.routing import BaseRoute, Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class Metrics:
    """One registry per app, so tests can build several apps in one process."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "multimed_http_requests_total",
            "HTTP requests",
            ["route", "method", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "multimed_http_request_duration_seconds",
            "HTTP request latency",
            ["route", "method"],
            registry=self.registry,
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
        )
        self.upload_bytes = Counter(
            "multimed_upload_bytes_total", "Bytes received in uploads", ["kind"], registry=self.registry
        )
        self.uploads = Counter(
            "multimed_uploads_total", "Uploads by outcome", ["outcome"], registry=self.registry
        )
        self.db_pool_checked_out = Gauge(
            "multimed_db_pool_checked_out", "DB connections in use", registry=self.registry
        )
        self.db_pool_size = Gauge("multimed_db_pool_size", "DB pool size", registry=self.registry)
        self.cache_hits = Counter(
            "multimed_cache_hits_total", "Query cache hits", ["query"], registry=self.registry
        )
        self.cache_misses = Counter(
            "multimed_cache_misses_total", "Query cache misses", ["query"], registry=self.registry
        )


def _route_template(routes: Sequence[BaseRoute], scope: Scope) -> str:
    for route in routes:
        match, _ = route.matches(scope)
        if match == Match.FULL:
            return str(getattr(route, "path", "unmatched"))
    return "unmatched"


class MetricsMiddleware:
    """Counts requests and their latency by route template."""

    def __init__(self, app: ASGIApp, metrics: Metrics, routes: Sequence[BaseRoute]) -> None:
        self.app = app
        self.metrics = metrics
        self.routes = routes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        route = _route_template(self.routes, scope)
        status = 500
        start = time.perf_counter()

        async def send_wrapper(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        finally:
            self.metrics.requests.labels(route, scope["method"], str(status)).inc()
            self.metrics.latency.labels(route, scope["method"]).observe(time.perf_counter() - start)
