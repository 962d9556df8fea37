"""A GraphQL request holds at most one pooled connection: resolvers and DataLoaders share one read session.

Proved on a runtime whose pool has one connection (then two) and no overflow: a page of 50 summaries with
their patient, findings, citations and sources resolves, and the pool never lends a request a second
connection. With a session per loader the nested fields would wait for a connection the page holds.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import event, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

from api.graphql_client import gql
from api.test_query_counts import PAGE_QUERY, seed_summaries
from factories.settings import make_settings
from factories.users import Org, make_org
from multimed.app import create_app
from multimed.auth.models import Role
from multimed.graphql.context import Context
from multimed.runtime import Runtime, build_runtime
from multimed.summaries.models import Summary


@dataclass
class PoolUse:
    most: int = 0  # the most connections checked out at once
    checkouts: int = 0  # how many times the pool lent one
    current: int = 0


@contextmanager
def pool_use(engine: AsyncEngine) -> Iterator[PoolUse]:
    """How the engine's pool lends connections while the block runs."""
    use = PoolUse()

    def checkout(*args: Any) -> None:
        use.current += 1
        use.checkouts += 1
        use.most = max(use.most, use.current)

    def checkin(*args: Any) -> None:
        use.current -= 1

    event.listen(engine.sync_engine.pool, "checkout", checkout)
    event.listen(engine.sync_engine.pool, "checkin", checkin)
    try:
        yield use
    finally:
        event.remove(engine.sync_engine.pool, "checkout", checkout)
        event.remove(engine.sync_engine.pool, "checkin", checkin)


@pytest.fixture(params=[1, 2], ids=["pool-1", "pool-2"])
async def small(
    request: pytest.FixtureRequest, tmp_path: Path, database_url: str, runtime: Runtime
) -> AsyncIterator[tuple[Runtime, httpx.AsyncClient]]:
    """A runtime and client on the test database (migrated by the shared `runtime`) with a tiny pool."""
    settings = make_settings(tmp_path, database_url, db_pool_size=request.param, db_max_overflow=0)
    rt = await build_runtime(settings, migrate=False, bootstrap=False)
    transport = httpx.ASGITransport(app=create_app(runtime=rt))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield rt, http
    await rt.close()


async def _page(http: httpx.AsyncClient, org: Org, first: int) -> dict[str, Any]:
    body = await gql(http, PAGE_QUERY, {"first": first}, headers=org.headers(Role.CLINICIAN))
    assert "errors" not in body, body
    return dict(body["data"]["summaries"])


async def test_a_page_of_50_summaries_uses_one_connection(small: tuple[Runtime, httpx.AsyncClient]) -> None:
    runtime, http = small
    org = await make_org(runtime)
    await seed_summaries(runtime, org, patients=50)
    await runtime.cache.invalidate(org.id)  # the uncached path: every nested field goes to the database

    with pool_use(runtime.engine) as use:
        page = await asyncio.wait_for(_page(http, org, 50), timeout=60)

    assert (page["totalCount"], len(page["edges"])) == (50, 50)
    node = page["edges"][-1]["node"]
    assert [f["name"] for f in node["findings"]] == ["Potassium", "Glucose"]
    assert [s["id"] for s in node["sources"]] == [node["findings"][0]["citation"]["file"]["id"]]
    assert use.most == 1


async def test_concurrent_requests_share_a_small_pool(small: tuple[Runtime, httpx.AsyncClient]) -> None:
    runtime, http = small
    org = await make_org(runtime)
    await seed_summaries(runtime, org, patients=50)
    await runtime.cache.invalidate(org.id)
    pool_size = runtime.settings.db_pool_size

    with pool_use(runtime.engine) as use:
        # Different page sizes: four distinct uncached queries in flight at once.
        pages = await asyncio.wait_for(
            asyncio.gather(*(_page(http, org, first) for first in (47, 48, 49, 50))), timeout=60
        )

    assert [len(p["edges"]) for p in pages] == [47, 48, 49, 50]
    assert all(e["node"]["findings"] for p in pages for e in p["edges"])
    assert use.most <= pool_size


async def test_the_connection_goes_back_after_each_statement(
    small: tuple[Runtime, httpx.AsyncClient],
) -> None:
    """Not held until the request ends: completing and sending a page takes many times its statement."""
    runtime, _ = small
    org = await make_org(runtime)
    await seed_summaries(runtime, org, patients=3)
    context = Context(runtime=runtime, principal=None, request_id=None)
    session = await context.session()
    pool = runtime.engine.sync_engine.pool
    with pool_use(runtime.engine) as use:
        rows = (await session.scalars(select(Summary).where(Summary.organization_id == org.id))).all()
        assert pool.checkedout() == 0  # type: ignore[attr-defined]
        # Loaded objects stay readable once the connection is back.
        assert sorted(r.version for r in rows) == [1, 1, 1]
        assert use.checkouts == 1

        # Statements queued on the session at once keep the connection between them: one checkout.
        one, two = await asyncio.gather(session.scalar(text("SELECT 1")), session.scalar(text("SELECT 2")))
        assert (one, two) == (1, 2)
        assert use.checkouts == 2
        assert pool.checkedout() == 0  # type: ignore[attr-defined]

        # A failed statement returns it too, and the session goes on.
        with pytest.raises(DBAPIError):
            await session.execute(text("SELECT 1/0"))
        assert pool.checkedout() == 0  # type: ignore[attr-defined]
        assert await session.scalar(text("SELECT 3")) == 3

    # What needs objects kept in the session, or writes, is refused with a reason instead of half-working.
    with pytest.raises(NotImplementedError, match="load again"):
        await session.refresh(rows[0])
    with pytest.raises(NotImplementedError, match="transaction"):
        await session.flush()
    await context.close()
