"""PageQueries on real PostgreSQL: keyset pages in both directions, filters present or absent, the total on
every page, and statements built once per set of filters however many pages are read."""

from __future__ import annotations

import random
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Column, DateTime, MetaData, Select, String, Table, Uuid, bindparam, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from factories.databases import fresh_database
from multimed.core.db import create_engine
from multimed.core.errors import InvalidInput
from multimed.core.pagination import Cursor, PageQueries

metadata = MetaData()
items = Table(
    "items",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("tag", String(8), nullable=False),
)
START = datetime(2024, 1, 1, tzinfo=UTC)


@pytest.fixture
async def session(maintenance_url: str) -> AsyncIterator[tuple[AsyncSession, list[dict[str, Any]]]]:
    rng = random.Random(7)
    # Ties on `at` on purpose: the id breaks them, so no row is skipped or repeated across pages.
    rows = [
        {
            "id": uuid.UUID(int=rng.getrandbits(128)),
            "at": START + timedelta(hours=rng.randrange(40)),
            "tag": rng.choice(["a", "b"]),
        }
        for _ in range(57)
    ]
    async with fresh_database(maintenance_url, "pages") as url:
        engine = create_engine(url, pool_size=1, max_overflow=0)
        try:
            async with engine.begin() as conn:
                await conn.run_sync(metadata.create_all)
                await conn.execute(insert(items), rows)
            async with AsyncSession(engine) as s:
                yield s, rows
        finally:
            await engine.dispose()


class Builds:
    """The list's builder, counting what it was asked to build."""

    def __init__(self) -> None:
        self.calls: list[frozenset[str]] = []

    def __call__(self, present: frozenset[str]) -> Select[Any]:
        self.calls.append(present)
        query = select(items.c.id)  # a page's items are its rows' first column (an entity, in the services)
        if "tag" in present:
            query = query.where(items.c.tag == bindparam("tag"))
        if "since" in present:
            query = query.where(items.c.at >= bindparam("since"))
        return query


async def walk(
    pages: PageQueries, session: AsyncSession, rows: list[dict[str, Any]], values: dict[str, Any], first: int
) -> tuple[list[uuid.UUID], list[int]]:
    at = {r["id"]: r["at"] for r in rows}
    seen: list[uuid.UUID] = []
    totals: list[int] = []
    after = None
    while True:
        page = await pages.fetch(session, values, first=first, after=after)
        seen += page.items
        totals.append(page.total)
        if not page.has_next:
            return seen, totals
        after = Cursor(at[page.items[-1]], str(page.items[-1])).encode()


@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("values", [{}, {"tag": "a"}, {"tag": "b", "since": START + timedelta(hours=10)}])
async def test_pages_walk_every_matching_row_once_in_key_order(
    session: tuple[AsyncSession, list[dict[str, Any]]], descending: bool, values: dict[str, Any]
) -> None:
    s, rows = session
    pages = PageQueries(Builds(), at_col=items.c.at, id_col=items.c.id, descending=descending)
    matching = [
        r for r in rows if r["tag"] == values.get("tag", r["tag"]) and r["at"] >= values.get("since", START)
    ]
    expected = [r["id"] for r in sorted(matching, key=lambda r: (r["at"], r["id"]), reverse=descending)]

    seen, totals = await walk(pages, s, rows, values, first=8)

    assert seen == expected
    assert set(totals) == {len(expected)}


async def test_statements_are_built_once_per_set_of_filters(
    session: tuple[AsyncSession, list[dict[str, Any]]],
) -> None:
    s, rows = session
    builds = Builds()
    pages = PageQueries(builds, at_col=items.c.at, id_col=items.c.id)

    for tag in ("a", "b", "a"):
        await walk(pages, s, rows, {"tag": tag, "since": None}, first=5)  # None: the filter is absent
    await walk(pages, s, rows, {"tag": None}, first=5)

    assert builds.calls == [frozenset({"tag"}), frozenset()]


async def test_an_empty_page_after_the_last_cursor_still_states_the_total(
    session: tuple[AsyncSession, list[dict[str, Any]]],
) -> None:
    s, rows = session
    pages = PageQueries(Builds(), at_col=items.c.at, id_col=items.c.id)
    last = max(rows, key=lambda r: (r["at"], r["id"]))
    after = Cursor(last["at"], str(last["id"])).encode()

    page = await pages.fetch(s, {}, first=10, after=after)

    assert (page.items, page.total, page.has_next) == ([], len(rows), False)


@pytest.mark.parametrize("after", ["not-a-cursor", Cursor(START, "not-a-uuid").encode()])
async def test_a_malformed_cursor_is_refused(
    session: tuple[AsyncSession, list[dict[str, Any]]], after: str
) -> None:
    s, _ = session
    pages = PageQueries(Builds(), at_col=items.c.at, id_col=items.c.id)
    with pytest.raises(InvalidInput):
        await pages.fetch(s, {}, first=10, after=after)
