"""Async SQLAlchemy engine and sessions on asyncpg, plus the metadata naming convention."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from urllib.parse import urlsplit

import orjson
from sqlalchemy import MetaData
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlmodel import SQLModel

from multimed.core.db_liveness import check_on_checkout
from multimed.core.errors import DomainError

# Explicit names so migrations are deterministic and constraints are greppable.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
SQLModel.metadata = MetaData(naming_convention=NAMING_CONVENTION)
metadata = SQLModel.metadata


def utcnow() -> datetime:
    """Timezone-aware now, the only clock the domains use."""
    return datetime.now(UTC)


def async_url(url: str) -> str:
    """Normalize postgres:// and postgresql:// URLs to the asyncpg dialect."""
    scheme = urlsplit(url).scheme
    if scheme in ("postgres", "postgresql"):
        return "postgresql+asyncpg" + url[len(scheme) :]
    return url


def create_engine(url: str, *, pool_size: int = 10, max_overflow: int = 10) -> AsyncEngine:
    """An async engine on asyncpg whose pooled connections are checked on checkout (db_liveness: a
    restarted server is survived without a ping round trip per request); JSON columns are read with orjson
    (a page of summaries decodes its sections on every read)."""
    engine = create_async_engine(
        async_url(url),
        pool_size=pool_size,
        max_overflow=max_overflow,
        json_deserializer=orjson.loads,
    )
    check_on_checkout(engine)
    return engine


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions that keep loaded objects after commit (no lazy loads under asyncio)."""
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)


@asynccontextmanager
async def transaction(factory: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncSession]:
    """One unit of work: commit on success, roll back on error unless the error keeps its writes."""
    async with factory() as session:
        try:
            yield session
        except DomainError as exc:
            if exc.keep_writes:
                await session.commit()
            else:
                await session.rollback()
            raise
        except BaseException:
            await session.rollback()
            raise
        else:
            await session.commit()
