"""Pooled connections that the server closed, or that idled past the ping threshold, never reach a query."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from urllib.parse import urlsplit

import asyncpg
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from factories.databases import fresh_database
from multimed.core.db import async_url, create_engine
from multimed.core.db_liveness import check_on_checkout


@pytest.fixture
async def url(maintenance_url: str) -> AsyncIterator[str]:
    if "?host=" in maintenance_url:
        pytest.skip("the embedded server listens on a Unix socket; these tests relay TCP")
    async with fresh_database(maintenance_url, "liveness") as url:
        yield url


class Relay:
    """A TCP relay to PostgreSQL that counts what clients send (one read per request: each waits for its
    answer) and can go silent: it stops forwarding on the connections it carries without closing them, as a
    firewall that dropped an idle flow does. New connections relay normally."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.silenced: list[asyncio.Event] = []
        self.server: asyncio.Server | None = None
        self.client_sends = 0
        self.writers: list[asyncio.StreamWriter] = []

    async def start(self) -> int:
        self.server = await asyncio.start_server(self._carry, "127.0.0.1", 0)
        return int(self.server.sockets[0].getsockname()[1])

    def silence(self) -> None:
        for flag in self.silenced:
            flag.set()

    async def _carry(self, client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter) -> None:
        server_r, server_w = await asyncio.open_connection(*self.target)
        self.writers += [client_w, server_w]
        silent = asyncio.Event()
        self.silenced.append(silent)

        async def pump(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            with contextlib.suppress(OSError):
                while data := await reader.read(65536):
                    if reader is client_r:
                        self.client_sends += 1
                    if silent.is_set():
                        continue  # swallowed: the peer hears nothing, and nothing is closed
                    writer.write(data)
                    await writer.drain()
            if not silent.is_set():
                writer.close()  # pass the end of the stream on, as a router would

        await asyncio.gather(pump(client_r, server_w), pump(server_r, client_w))

    async def close(self) -> None:
        if self.server is not None:
            self.server.close()
        for writer in self.writers:
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()


async def backend_pid(engine: AsyncEngine) -> int:
    async with engine.connect() as conn:
        return int((await conn.execute(text("SELECT pg_backend_pid()"))).scalar_one())


@contextlib.asynccontextmanager
async def relayed(url: str, **liveness: float) -> AsyncIterator[tuple[Relay, AsyncEngine]]:
    """An engine (pool of one, with the checkout checks) whose connections pass through a Relay."""
    target = urlsplit(url)
    relay = Relay((target.hostname or "127.0.0.1", target.port or 5432))
    port = await relay.start()
    engine = create_async_engine(
        async_url(target._replace(netloc=f"{target.username}@127.0.0.1:{port}").geturl()),
        pool_size=1,
        max_overflow=0,
    )
    check_on_checkout(engine, **liveness)
    try:
        yield relay, engine
    finally:
        await engine.dispose()
        await relay.close()


async def sends_per_query(url: str, **liveness: float) -> float:
    async with relayed(url, **liveness) as (relay, engine):
        await backend_pid(engine)  # connected, authenticated, statement prepared
        before = relay.client_sends
        for _ in range(5):
            await backend_pid(engine)
        return (relay.client_sends - before) / 5


async def test_a_connection_the_server_closed_is_replaced_not_used(url: str) -> None:
    engine = create_engine(url, pool_size=1, max_overflow=0)
    try:
        first = await backend_pid(engine)
        admin = await asyncpg.connect(url)
        try:
            assert await admin.fetchval("SELECT pg_terminate_backend($1)", first)
            await admin.execute("SELECT pg_sleep(0.05)")  # the client's loop reads the server's EOF
        finally:
            await admin.close()
        second = await backend_pid(engine)  # would raise ConnectionDoesNotExistError without the check
        assert second != first
    finally:
        await engine.dispose()


async def test_a_recently_used_connection_costs_no_ping_and_an_idle_one_exactly_one(url: str) -> None:
    recent = await sends_per_query(url)
    idle = await sends_per_query(url, ping_after_idle=0.0)
    assert idle == recent + 1


async def test_a_silently_dead_idle_connection_is_replaced_within_the_ping_timeout(url: str) -> None:
    async with relayed(url, ping_after_idle=0.0, ping_timeout=0.3) as (relay, engine):
        first = await backend_pid(engine)
        relay.silence()  # the pooled connection's flow goes dark; a new one relays normally
        second = await asyncio.wait_for(backend_pid(engine), timeout=10)
        assert second != first
