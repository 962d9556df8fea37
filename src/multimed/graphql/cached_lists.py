"""A page of summaries or findings through the query cache, keyed by exactly the filter it is read with."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any, Protocol, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from multimed.core.pagination import Page, fields_of
from multimed.findings.models import Finding
from multimed.graphql.context import Info
from multimed.summaries.models import Summary

M = TypeVar("M", Summary, Finding)


class ListRows(Protocol[M]):  # summaries_service.list_summaries, findings_service.list_findings
    def __call__(
        self, *, session: AsyncSession, organization_id: Any, filter: Any, first: int, after: str | None
    ) -> Awaitable[Page[M]]: ...


async def cached_page(
    info: Info, query: str, model: type[M], rows: ListRows[M], filter: Any, *, first: int, after: str | None
) -> Page[M]:
    """The page `rows(filter, first, after)` of the caller's organization, through the cache per role.

    The key's arguments are the service filter's own fields, so the key cannot drift from what is read.
    The permission was checked for this request by the field; the cache only spares the database.
    """
    ctx = info.context

    async def load() -> Page[M]:
        return await rows(
            session=await ctx.session(),
            organization_id=ctx.user.organization_id,
            filter=filter,
            first=first,
            after=after,
        )

    return await ctx.runtime.cache.page(
        query=query,
        organization_id=ctx.user.organization_id,
        role=ctx.user.role.value,
        arguments={**fields_of(filter), "first": first, "after": after},
        model=model,
        load=load,
    )
