"""Batch loaders: one query per kind of object per request, whatever the page size."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import TYPE_CHECKING

from multimed.auth import service as auth_service
from multimed.deid import service as deid_service
from multimed.extraction import service as extraction_service
from multimed.files import service as files_service
from multimed.findings import service as findings_service
from multimed.jobs import service as jobs_service
from multimed.patients import service as patients_service
from multimed.summaries import service as summaries_service

if TYPE_CHECKING:
    from multimed.auth.models import User
    from multimed.deid.models import DeidReport
    from multimed.extraction.models import DicomSummaryRow, ExtractedText
    from multimed.files.models import MedicalFile
    from multimed.findings.models import Finding
    from multimed.graphql.context import Context
    from multimed.jobs.models import Job
    from multimed.patients.models import Patient
    from multimed.summaries.models import Summary


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


async def files_by_id(ctx: Context, ids: Sequence[uuid.UUID]) -> list[MedicalFile | None]:
    found = {
        f.id: f
        for f in await files_service.by_ids(
            session=await ctx.session(), organization_id=ctx.user.organization_id, file_ids=list(ids)
        )
    }
    return [found.get(i) for i in ids]


async def patients_by_id(ctx: Context, ids: Sequence[uuid.UUID]) -> list[Patient | None]:
    found = await patients_service.by_ids(
        session=await ctx.session(), organization_id=ctx.user.organization_id, patient_ids=list(ids)
    )
    return [found.get(i) for i in ids]


async def findings_by_summary_id(ctx: Context, ids: Sequence[uuid.UUID]) -> list[list[Finding]]:
    found = await summaries_service.findings_of(session=await ctx.session(), summary_ids=list(ids))
    return [found.get(i, []) for i in ids]


async def findings_by_file_id(ctx: Context, ids: Sequence[uuid.UUID]) -> list[list[Finding]]:
    found = await findings_service.for_files(session=await ctx.session(), file_ids=list(ids))
    return [found.get(i, []) for i in ids]


async def latest_summary_by_patient_id(ctx: Context, ids: Sequence[uuid.UUID]) -> list[Summary | None]:
    found = await summaries_service.latest_for_patients(session=await ctx.session(), patient_ids=list(ids))
    return [found.get(i) for i in ids]


async def summary_by_job_id(ctx: Context, ids: Sequence[uuid.UUID]) -> list[Summary | None]:
    found = await summaries_service.for_jobs(session=await ctx.session(), job_ids=list(ids))
    return [found.get(i) for i in ids]
