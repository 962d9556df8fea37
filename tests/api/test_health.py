"""Health, readiness, metrics and request ids."""

from __future__ import annotations

import httpx

from factories.files import pdf_bytes
from factories.uploads import upload
from factories.users import make_org
from multimed.auth.models import Role
from multimed.runtime import Runtime


async def test_health_and_ready(client: httpx.AsyncClient) -> None:
    health = await client.get("/health")
    ready = await client.get("/health/ready")

    assert health.json() == {"status": "ok"}
    assert ready.status_code == 200
    assert ready.json()["status"] == "ready"
    checks = ready.json()["checks"]
    assert {k: checks[k] for k in ("database", "blob_store", "queue", "event_bus")} == dict.fromkeys(
        ("database", "blob_store", "queue", "event_bus"), "ok"
    )
    assert {checks[m] for m in ("ocr", "transcriber", "embedder")} <= {"loaded", "not_loaded"}
    # Loaded on first use: whether an earlier test of the session used it decides which.
    assert checks["phi_detector"] in ("loaded", "not_loaded")


async def test_metrics_use_route_templates_not_paths(client: httpx.AsyncClient, runtime: Runtime) -> None:
    org = await make_org(runtime)
    await upload(client, org, "MET-1", "a.pdf", pdf_bytes())
    await client.get(
        "/files/0b0c7a35-0000-4000-8000-000000000000/content", headers=org.headers(Role.CLINICIAN)
    )

    text = (await client.get("/metrics")).text

    assert 'multimed_http_requests_total{method="POST",route="/upload",status="201"}' in text
    assert 'route="/files/{file_id}/content"' in text
    assert "0b0c7a35" not in text
    assert 'multimed_upload_bytes_total{kind="PDF"}' in text
    assert "multimed_db_pool_size" in text
    assert "multimed_http_request_duration_seconds_bucket" in text


async def test_request_id_is_echoed_or_made(client: httpx.AsyncClient) -> None:
    given = await client.get("/health", headers={"X-Request-ID": "abc12345-req"})
    made = await client.get("/health", headers={"X-Request-ID": "bad id with spaces"})

    assert given.headers["x-request-id"] == "abc12345-req"
    assert len(made.headers["x-request-id"]) == 32
