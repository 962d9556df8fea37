"""Fresh PostgreSQL databases for tests, on the machine's server or the embedded one."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg

from multimed import embedded


async def _admin(maintenance_url: str, sql: str) -> None:
    conn = await asyncpg.connect(maintenance_url)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


@asynccontextmanager
async def fresh_database(maintenance_url: str, prefix: str) -> AsyncIterator[str]:
    """An empty database `<prefix>_<random>` on the maintenance URL's server: its URL, dropped on exit.

    The embedded server is reached over its socket (`?host=` in the URL), the machine's over TCP.
    """
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    if "?host=" in maintenance_url:
        url = await embedded.ensure_database(maintenance_url, name)
    else:
        await _admin(maintenance_url, f'CREATE DATABASE "{name}"')
        url = maintenance_url.rsplit("/", 1)[0] + f"/{name}"
    try:
        yield url
    finally:
        await _admin(maintenance_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
