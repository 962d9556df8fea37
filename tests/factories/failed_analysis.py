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
from factories.users import Org
from multimed.auth.models import Role
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


async def upload(client: httpx.AsyncClient, org: Org, mrn: str, name: str, data: bytes) -> dict[str, Any]:
    """POST /upload as the org's clinician; the 201 answer (file_id, patient_token, job_id, ...)."""
    response = await client.post(
        "/upload",
        headers=org.headers(Role.CLINICIAN),
        data={"patient_mrn": mrn, "logical_name": name},
        files={"file": (name, data)},
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


async def fail_analysis(runtime: Runtime, hurried: Runtime, org: Org, uploaded: dict[str, Any]) -> Job:
    """Extract the uploaded PDF's text (good runtime), then run its job where analysis raises."""
    file_id = uuid.UUID(uploaded["file_id"])
    await extract_pdf(runtime, file_id=file_id, organization_id=org.id)
    job = await run_job(hurried, uuid.UUID(uploaded["job_id"]))
    async with runtime.sessions() as session:
        texts = await extraction_service.latest_for_files(session=session, file_ids=[file_id])
    assert file_id in texts  # the text exists: only the analysis is missing
    return job
