"""The service against an S3 server and Redis, served over TLS by `multimed serve`, and the user CLI."""

from __future__ import annotations

import asyncio
import os
import ssl
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from factories.files import pdf_bytes
from factories.network import free_port, self_signed
from factories.servers import start_serve
from factories.settings import ADMIN_PASSWORD, make_settings, server_env
from factories.uploads import upload
from factories.users import make_org
from multimed.app import create_app
from multimed.auth.models import Role
from multimed.auth.ratelimit import RedisRateLimiter
from multimed.runtime import Runtime, build_runtime

S3_ENDPOINT = os.environ.get("MULTIMED_TEST_S3_ENDPOINT", "http://127.0.0.1:8333")
S3_ACCESS_KEY = os.environ.get("MULTIMED_TEST_S3_ACCESS_KEY", "multimed-test")
S3_SECRET_KEY = os.environ.get("MULTIMED_TEST_S3_SECRET_KEY", "multimed-test-secret-do-not-use-in-prod")
REDIS_URL = os.environ.get("MULTIMED_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture(scope="module")
async def s3_runtime(tmp_path_factory: pytest.TempPathFactory, database_url: str) -> AsyncIterator[Runtime]:
    settings = make_settings(
        tmp_path_factory.mktemp("s3var"),
        database_url,
        blob_url=f"s3://mm-app-{uuid.uuid4().hex[:10]}",
        s3_endpoint_url=S3_ENDPOINT,
        s3_access_key=S3_ACCESS_KEY,
        s3_secret_key=S3_SECRET_KEY,
        s3_part_size=5 * 1024 * 1024,
        redis_url=REDIS_URL,
    )
    runtime = await build_runtime(settings)
    yield runtime
    await runtime.close()


async def test_upload_and_download_through_s3_with_redis(s3_runtime: Runtime) -> None:
    org = await make_org(s3_runtime)
    content = pdf_bytes(padding=12 * 1024 * 1024)  # multipart upload on the S3 side
    transport = httpx.ASGITransport(app=create_app(runtime=s3_runtime))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        uploaded = await upload(client, org, "S3-1", "a.pdf", content)  # the helper checks the 201
        downloaded = await client.get(
            f"/files/{uploaded['file_id']}/content", headers=org.headers(Role.CLINICIAN)
        )
        ready = await client.get("/health/ready")

    assert downloaded.content == content
    assert s3_runtime.blobs.kind == "s3"
    checks = ready.json()["checks"]
    assert {k: checks[k] for k in ("database", "blob_store", "queue", "event_bus")} == dict.fromkeys(
        ("database", "blob_store", "queue", "event_bus"), "ok"
    )
    assert checks["phi_detector"] == "not_loaded"


async def test_redis_rate_limiter_counts_per_key(s3_runtime: Runtime) -> None:
    assert s3_runtime.redis is not None
    limiter = RedisRateLimiter(s3_runtime.redis)
    key = f"test:{uuid.uuid4().hex}"

    counts = [await limiter.hit(key) for _ in range(3)]

    assert counts == [1, 2, 3]
    assert await limiter.hit(f"{key}:other") == 1


async def test_serve_over_tls(runtime: Runtime, tmp_path: Path) -> None:
    cert, key = self_signed(tmp_path)
    port = free_port()
    server = start_serve(server_env(runtime, tmp_path), port, "--tls-cert", str(cert), "--tls-key", str(key))
    try:
        async with httpx.AsyncClient(verify=ssl.create_default_context(cafile=str(cert))) as client:
            deadline = time.monotonic() + 60
            while True:
                try:
                    response = await client.get(f"https://127.0.0.1:{port}/health")
                    break
                except httpx.TransportError:
                    if time.monotonic() > deadline or server.poll() is not None:
                        raise
                    await asyncio.sleep(0.3)
            token = await client.post(
                f"https://127.0.0.1:{port}/auth/token", data={"username": "admin", "password": ADMIN_PASSWORD}
            )
    finally:
        server.terminate()
        server.wait(timeout=30)

    assert response.json() == {"status": "ok"}
    assert token.status_code == 200


def test_users_create_cli(runtime: Runtime, tmp_path: Path) -> None:
    username = f"cli-{uuid.uuid4().hex[:8]}"
    command = [
        sys.executable,
        "-m",
        "multimed.cli",
        "users",
        "create",
        username,
        "--role",
        "auditor",
        "--organization",
        "CLI hospital",
        "--password",
        "a long enough password",
    ]

    created = subprocess.run(
        command, env=server_env(runtime, tmp_path), capture_output=True, text=True, timeout=120, check=False
    )
    again = subprocess.run(
        command, env=server_env(runtime, tmp_path), capture_output=True, text=True, timeout=120, check=False
    )

    assert created.returncode == 0, created.stderr
    assert f"created user {username} (AUDITOR)" in created.stdout
    assert again.returncode == 1
    assert "that username is already taken" in again.stderr
