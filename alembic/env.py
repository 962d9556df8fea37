"""Alembic environment on the async engine; URL from the caller or MULTIMED_DATABASE_URL."""

from __future__ import annotations

import asyncio
import os

from alembic import context
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from multimed.core.db import async_url
from multimed.tables import metadata

config = context.config


def _url() -> str:
    url = config.attributes.get("url") or os.environ.get("MULTIMED_DATABASE_URL")
    if not url:
        raise RuntimeError("no database URL: set MULTIMED_DATABASE_URL or use `multimed db upgrade`")
    return async_url(str(url))


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection, target_metadata=metadata, compare_type=True, compare_server_default=True
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_online() -> None:
    engine = create_async_engine(_url(), poolclass=NullPool)
    async with engine.connect() as connection:
        await connection.run_sync(_configure)
    await engine.dispose()


if context.is_offline_mode():
    context.configure(url=_url(), target_metadata=metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    asyncio.run(_run_online())
