"""Batch loaders: one query per kind of object per request, whatever the page size."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import TYPE_CHECKING

from multimed.auth import service as auth_service
from multimed.deid import service as deid_service
from multimed.extraction import service as extraction_service
from multimed.jobs import service as jobs_service

if TYPE_CHECKING:
    from multimed.auth.models import User
    from multimed.deid.models import DeidReport
    from multimed.extraction.models import DicomSummaryRow, ExtractedText
    from multimed.graphql.context import Context
    from multimed.jobs.models import Job


async def users_by_id(ctx: Context, ids: Sequence[uuid.UUID]) -> list[User | None]:
    found = await auth_service.users_by_ids(
        session=await ctx.session(), ids=list(ids), organization_id=ctx.user.organization_id
    )
    return [found.get(i) for i in ids]


async def jobs_by_file_id(ctx: Context, ids: Sequence[uuid.UUID]) -> list[Job | None]:
    found = await jobs_service.latest_for_files(session=await ctx.session(), file_ids=list(ids))
    return [found.get(i) for i in ids]


async def deid_reports_by_file_id(ctx: Context, ids: Sequence[uuid.UUID]) -> list[DeidReport | None]:
    found = await deid_service.reports_for_files(session=await ctx.session(), file_ids=list(ids))
    return [found.get(i) for i in ids]


async def texts_by_file_id(ctx: Context, ids: Sequence[uuid.UUID]) -> list[ExtractedText | None]:
    found = await extraction_service.latest_for_files(session=await ctx.session(), file_ids=list(ids))
    return [found.get(i) for i in ids]


async def dicom_by_file_id(ctx: Context, ids: Sequence[uuid.UUID]) -> list[DicomSummaryRow | None]:
    found = await extraction_service.dicom_summaries_for_files(
        session=await ctx.session(), file_ids=list(ids)
    )
    return [found.get(i) for i in ids]
