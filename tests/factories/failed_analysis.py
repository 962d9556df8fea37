"""File versions whose analysis really fails after their text was extracted, so a summary leaves them out.

The failure is real: the shared runtime extracts the text, then the file's job runs on a second runtime (same
database) whose stage time limit no analysis can meet, so ANALYZE fails with `stage_timeout` and its
transaction rolls back.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx

from factories.settings import make_settings
from factories.uploads import upload
from factories.users import Org
from multimed.extraction import service as extraction_service
from multimed.jobs.models import Job
from multimed.pipelines.extract_pdf import extract_pdf
from multimed.runtime import Runtime, build_runtime
from multimed.worker.execute import run_job


@asynccontextmanager
async def hurried_runtime(folder: Path, database_url: str) -> AsyncIterator[Runtime]:
    """A runtime whose stages time out at once: a job it runs fails at its first stage not yet done."""
    settings = make_settings(folder, database_url, job_stage_timeout_seconds=1e-6)
    rt = await build_runtime(settings, migrate=False, bootstrap=False)
    try:
        yield rt
    finally:
        await rt.close()


async def fail_analysis(runtime: Runtime, hurried: Runtime, org: Org, uploaded: dict[str, Any]) -> Job:
    """Extract the uploaded PDF's text (good runtime), then run its job where analysis raises."""
    file_id = uuid.UUID(uploaded["file_id"])
    await extract_pdf(runtime, file_id=file_id, organization_id=org.id)
    job = await run_job(hurried, uuid.UUID(uploaded["job_id"]))
    async with runtime.sessions() as session:
        texts = await extraction_service.latest_for_files(session=session, file_ids=[file_id])
    assert file_id in texts  # the text exists: only the analysis is missing
    return job


async def analyzed_and_failed(
    client: httpx.AsyncClient, runtime: Runtime, hurried: Runtime, org: Org, mrn: str, pdf: bytes
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Two uploads of `pdf` for one patient: "labs-march" analyzed, "labs-april" whose analysis failed after
    extraction (stage_timeout). Their 201 upload answers."""
    good = await upload(client, org, mrn, "labs-march", pdf)
    failed = await upload(client, org, mrn, "labs-april", pdf)
    assert (await run_job(runtime, uuid.UUID(good["job_id"]))).status == "SUCCEEDED"
    job = await fail_analysis(runtime, hurried, org, failed)
    assert (job.status, job.error_code) == ("FAILED", "stage_timeout")
    return good, failed
