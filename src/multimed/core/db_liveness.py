"""Pooled connections checked before use without a round trip per request.

SQLAlchemy's `pool_pre_ping` pings on every checkout; on asyncpg outside a transaction that ping is three
round trips (BEGIN, an empty statement, ROLLBACK), more than a whole page of summaries costs. Instead:

- a connection the server closed (restart, `pg_terminate_backend`, idle timeout) is noticed for free: the
  server closes the socket, asyncpg marks the connection closed, and the checkout discards it;
- a connection idle for longer than `ping_after_idle` seconds is pinged first (one round trip, answered
  within `ping_timeout`), which catches what dies silently (a firewall dropping an idle flow, a failover
  without a reset): such a ping would otherwise wait for TCP to give up, many minutes.

Either way the pool is told with `DisconnectionError`, so it discards the connection and checks out another
(SQLAlchemy retries a checkout that raised it), and the request never sees the dead one.
"""

from __future__ import annotations

from time import monotonic
from typing import Any

from sqlalchemy import event, exc
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.util import await_

PING_AFTER_IDLE_SECONDS = 30.0
PING_TIMEOUT_SECONDS = 5.0
_IDLE_SINCE = "multimed_idle_since"


def check_on_checkout(
    engine: AsyncEngine,
    *,
    ping_after_idle: float = PING_AFTER_IDLE_SECONDS,
    ping_timeout: float = PING_TIMEOUT_SECONDS,
) -> None:
    """Install the checks on the engine's pool (instead of `pool_pre_ping`)."""
    pool = engine.sync_engine.pool

    @event.listens_for(pool, "connect")
    def _fresh(dbapi_connection: Any, record: Any) -> None:
        record.info[_IDLE_SINCE] = monotonic()

    @event.listens_for(pool, "checkin")
    def _returned(dbapi_connection: Any, record: Any) -> None:
        record.info[_IDLE_SINCE] = monotonic()

    @event.listens_for(pool, "checkout")
    def _check(dbapi_connection: Any, record: Any, proxy: Any) -> None:
        driver = dbapi_connection.driver_connection  # the asyncpg Connection
        if driver.is_closed():
            raise exc.DisconnectionError("the database closed this connection")
        if monotonic() - record.info.get(_IDLE_SINCE, 0.0) > ping_after_idle:
            try:
                # Checkout runs inside SQLAlchemy's greenlet, so the coroutine can be awaited from here.
                await_(driver.fetchrow(";", timeout=ping_timeout))
            except Exception as error:  # any failure of the ping means: do not use this connection
                raise exc.DisconnectionError("the idle connection did not answer a ping") from error
