"""summary, summaries, findings."""

from __future__ import annotations

from datetime import datetime
from typing import TypeVar

import strawberry

from multimed.auth.policy import Permission
from multimed.findings import service as findings_service
from multimed.findings.draft import FindingKind, Severity
from multimed.findings.models import Finding
from multimed.graphql.cached_lists import cached_page
from multimed.graphql.context import Info
from multimed.graphql.findings.types import FindingKindEnum, FindingType, SeverityEnum, finding_cursor
from multimed.graphql.pagination import page_size
from multimed.graphql.permissions import needs
from multimed.graphql.relay import Connection, page_connection, uuid_of
from multimed.graphql.summaries.types import SummaryType, summary_cursor
from multimed.summaries import service as summaries_service
from multimed.summaries.models import Summary

M = TypeVar("M", Summary, Finding)


@strawberry.input(description="Summaries of one patient (token), created in [from, to), with a critical one.")
class SummaryFilter:
    patient_token: str | None = None
    from_: datetime | None = strawberry.field(default=None, name="from")
    to: datetime | None = None
    has_critical: bool | None = None


@strawberry.input(description="Findings by patient, severity, kind, and observation time in [from, to).")
class FindingFilter:
    patient_token: str | None = None
    severity: SeverityEnum | None = None  # type: ignore[valid-type]
    kind: FindingKindEnum | None = None  # type: ignore[valid-type]
    from_: datetime | None = strawberry.field(default=None, name="from")
    to: datetime | None = None


@strawberry.type
class SummaryQueries:
    @strawberry.field(extensions=needs(Permission.READ_CLINICAL))
    async def summary(self, info: Info, id: strawberry.ID) -> SummaryType | None:
        ctx = info.context
        summary = await summaries_service.get(
            session=await ctx.session(),
            organization_id=ctx.user.organization_id,
            summary_id=uuid_of(id, "Summary"),
        )
        return SummaryType.from_model(summary) if summary else None

    @strawberry.field(extensions=needs(Permission.READ_CLINICAL), description="Newest first.")
    async def summaries(
        self,
        info: Info,
        filter: SummaryFilter | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[SummaryType]:
        f = filter or SummaryFilter()
        size = page_size(info, first)

        page = await cached_page(
            info,
            "summaries",
            Summary,
            summaries_service.list_summaries,
            summaries_service.SummaryFilter(
                patient_token=f.patient_token, since=f.from_, until=f.to, has_critical=f.has_critical
            ),
            first=size,
            after=after,
        )
        return page_connection(page, encode=SummaryType.from_model, key=summary_cursor)

    @strawberry.field(extensions=needs(Permission.READ_CLINICAL), description="Newest observation first.")
    async def findings(
        self,
        info: Info,
        filter: FindingFilter | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[FindingType]:
        f = filter or FindingFilter()
        size = page_size(info, first)

        page = await cached_page(
            info,
            "findings",
            Finding,
            findings_service.list_findings,
            findings_service.FindingFilter(
                patient_token=f.patient_token,
                severity=Severity(f.severity) if f.severity else None,
                kind=FindingKind(f.kind) if f.kind else None,
                since=f.from_,
                until=f.to,
            ),
            first=size,
            after=after,
        )
        return page_connection(page, encode=FindingType.from_model, key=finding_cursor)
