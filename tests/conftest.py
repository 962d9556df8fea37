"""Session fixtures: a real PostgreSQL database (the machine's, else embedded), a runtime, a client."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator

import asyncpg
import httpx
import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from factories.databases import fresh_database
from factories.settings import make_settings
from multimed import embedded
from multimed.app import create_app
from multimed.runtime import Runtime, build_runtime

MACHINE_PG = os.environ.get("MULTIMED_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


async def _machine_postgres() -> str | None:
    try:
        conn = await asyncpg.connect(MACHINE_PG, timeout=3)
    except (OSError, asyncpg.PostgresError, TimeoutError):
        return None
    await conn.close()
    return MACHINE_PG


@pytest.fixture(scope="session")
async def maintenance_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The machine's PostgreSQL at 127.0.0.1:5432 when it answers, else an embedded server."""
    url = await _machine_postgres()
    if url is not None:
        return url
    return embedded.start_embedded_postgres(tmp_path_factory.mktemp("pg") / "data")


@pytest.fixture(scope="session")
async def database_url(maintenance_url: str) -> AsyncIterator[str]:
    """A fresh database for this test session, dropped at the end."""
    async with fresh_database(maintenance_url, "multimed_test") as url:
        yield url


@pytest.fixture(scope="session")
async def runtime(tmp_path_factory: pytest.TempPathFactory, database_url: str) -> AsyncIterator[Runtime]:
    """The service's runtime on the test database (migrated, first admin created) and a filesystem store."""
    settings = make_settings(tmp_path_factory.mktemp("var"), database_url)
    rt = await build_runtime(settings)
    yield rt
    await rt.close()


@pytest.fixture(scope="session")
async def client(runtime: Runtime) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client speaking ASGI to the app."""
    app = create_app(runtime=runtime)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http
