"""GET /summaries/{id} names the file versions a summary leaves out (`uncovered_files`) as GraphQL's
`uncoveredFiles` does, in snake_case, in the shape /openapi.json declares.

One patient: a lab PDF analyzed, one whose analysis really failed after extraction (stage_timeout), and one
whose job was cancelled before it ran. Everything is asked over REST but the file jobs, run here because the
shared runtime is an API-only process.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from jsonschema import Draft202012Validator
from sqlmodel import select

from api.graphql_client import gql
from factories.failed_analysis import analyzed_and_failed, hurried_runtime
from factories.uploads import upload
from factories.users import Org, make_org
from flows.test_summary_flow import lab_pdf
from multimed.auth.models import Role
from multimed.core.db import transaction
from multimed.graphql.relay import to_global_id
from multimed.jobs import service as jobs_service
from multimed.rest.openapi import build_openapi
from multimed.runtime import Runtime
from multimed.summaries.models import Summary
from multimed.worker.execute import run_job

GRAPHQL_SUMMARY = """
query($id: ID!) {
  summary(id: $id) { uncoveredFiles { name reason errorCode file { id version } } }
}
"""


@pytest.fixture(scope="module")
async def hurried(tmp_path_factory: pytest.TempPathFactory, database_url: str) -> AsyncIterator[Runtime]:
    async with hurried_runtime(Path(tmp_path_factory.mktemp("hurried")), database_url) as rt:
        yield rt


def _summary_schema() -> Draft202012Validator:
    document = build_openapi()
    response = document["paths"]["/summaries/{summary_id}"]["get"]["responses"]["200"]
    schema = response["content"]["application/json"]["schema"]
    return Draft202012Validator({**schema, "components": document["components"]})


async def _summarize_over_rest(
    client: httpx.AsyncClient, runtime: Runtime, org: Org, body: dict[str, Any]
) -> dict[str, Any]:
    """POST /summarize, run its job, GET /summaries/{id} of the summary it wrote: the 200 answer."""
    asked = await client.post("/summarize", headers=org.headers(Role.CLINICIAN), json=body)
    assert asked.status_code == 202, asked.text
    job = await run_job(runtime, uuid.UUID(asked.json()["job_id"]))
    assert (job.status, job.error_code) == ("SUCCEEDED", None)
    async with runtime.sessions() as session:
        summary_id = (await session.execute(select(Summary.id).where(Summary.job_id == job.id))).scalar_one()
    response = await client.get(f"/summaries/{summary_id}", headers=org.headers(Role.ANALYST))
    assert response.status_code == 200, response.text
    return dict(response.json())


@pytest.fixture(scope="module")
async def scene(client: httpx.AsyncClient, runtime: Runtime, hurried: Runtime) -> dict[str, Any]:
    org = await make_org(runtime)
    mrn = f"REST-GAP-{uuid.uuid4().hex[:8]}"
    good, failed = await analyzed_and_failed(client, runtime, hurried, org, mrn, lab_pdf())
    cancelled = await upload(client, org, mrn, "labs-may", lab_pdf())
    async with transaction(runtime.sessions) as session:
        await jobs_service.cancel(
            session=session, organization_id=org.id, job_id=uuid.UUID(cancelled["job_id"])
        )
    return {
        "org": org,
        "token": good["patient_token"],
        "good": good,
        "failed": failed,
        "cancelled": cancelled,
    }


def _name(uploaded: dict[str, Any]) -> str:
    return f"PDF file {uuid.UUID(uploaded['file_id']).hex[:8]} v1"


async def test_a_summary_of_the_latest_files_lists_the_files_it_leaves_out(
    client: httpx.AsyncClient, runtime: Runtime, scene: dict[str, Any]
) -> None:
    org: Org = scene["org"]

    data = await _summarize_over_rest(client, runtime, org, {"patient_token": scene["token"]})

    failed, cancelled = scene["failed"], scene["cancelled"]
    assert data["uncovered_files"] == [
        {
            "name": _name(failed),
            "reason": "FAILED",
            "error_code": "stage_timeout",
            "file_id": failed["file_id"],
        },
        {
            "name": _name(cancelled),
            "reason": "CANCELLED",
            "error_code": None,
            "file_id": cancelled["file_id"],
        },
    ]
    assert data["sources"] == [scene["good"]["file_id"]]
    assert f"- {_name(failed)}: processing failed (stage_timeout)\n" in data["text"]
    assert f"- {_name(cancelled)}: processing was cancelled\n" in data["text"]
    _summary_schema().validate(data)
    # GraphQL names the same gaps (camelCase, `file` for `file_id`).
    body = await gql(
        client,
        GRAPHQL_SUMMARY,
        {"id": to_global_id("Summary", data["id"])},
        headers=org.headers(Role.ANALYST),
    )
    assert "errors" not in body, body
    assert body["data"]["summary"]["uncoveredFiles"] == [
        {
            "name": gap["name"],
            "reason": gap["reason"],
            "errorCode": gap["error_code"],
            "file": {"id": to_global_id("MedicalFile", gap["file_id"]), "version": 1},
        }
        for gap in data["uncovered_files"]
    ]


async def test_a_summary_of_named_analyzed_files_leaves_none_out(
    client: httpx.AsyncClient, runtime: Runtime, scene: dict[str, Any]
) -> None:
    good = scene["good"]

    data = await _summarize_over_rest(
        client, runtime, scene["org"], {"patient_token": scene["token"], "file_ids": [good["file_id"]]}
    )

    assert (data["uncovered_files"], data["sources"]) == ([], [good["file_id"]])
    assert "NOT COVERED" not in data["text"]
    _summary_schema().validate(data)


def test_the_documented_summary_requires_the_uncovered_files_in_their_shape() -> None:
    schema = _summary_schema()
    gap = {
        "name": "PDF file 0f3a9c21 v2",
        "reason": "FAILED",
        "error_code": "stage_timeout",
        "file_id": str(uuid.uuid4()),
    }
    summary = {
        "id": str(uuid.uuid4()),
        "patient_token": "e0e0",
        "version": 1,
        "created_at": "2026-01-01T00:00:00+00:00",
        "has_critical": False,
        "text": "",
        "html": "",
        "summarizer": "extractive",
        "sources": [],
        "uncovered_files": [gap],
        "sections": [],
    }
    assert schema.is_valid(summary)
    assert not schema.is_valid({k: v for k, v in summary.items() if k != "uncovered_files"})
    assert not schema.is_valid({**summary, "uncovered_files": [{**gap, "reason": "LOST"}]})
    assert not schema.is_valid({**summary, "uncovered_files": [{**gap, "file_id": None}]})
