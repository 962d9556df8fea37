"""A summary is never silently incomplete: a file whose analysis failed after its text was extracted is named
in the summary it is left out of, refused when the clinician named it, and a file with no findings at all is
analyzed once and covered.

The analysis failure is real (factories/failed_analysis.py): after the shared runtime extracted a file's text,
its job runs on a second runtime whose stage time limit no analysis can meet.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlmodel import select

from api.graphql_client import gql
from factories.failed_analysis import analyzed_and_failed, fail_analysis, hurried_runtime
from factories.pdfs import text_pdf
from factories.uploads import upload
from factories.users import Org, make_org
from flows.test_summary_flow import lab_pdf
from multimed.auth.models import Role
from multimed.findings.models import FileAnalysis, Finding
from multimed.graphql.relay import to_global_id, uuid_of
from multimed.pipelines.analyze_file import analyze_file
from multimed.runtime import Runtime
from multimed.summaries.models import Summary
from multimed.worker.execute import run_job

QUIET_NOTE = [
    "OUTPATIENT FOLLOW-UP NOTE",
    "The patient walked into the clinic on her own today.",
    "She would like to return in three months for the routine visit.",
]

SUMMARY = """
query($token: String!) {
  summaries(filter: {patientToken: $token}, first: 5) {
    edges { node {
      text html
      sources { id }
      findings { name citation { file { id } } }
      uncoveredFiles { name reason errorCode file { id version } }
    } }
  }
}
"""

SUMMARIZE = """
mutation($token: String!, $files: [ID!]) {
  summarize(input: {patientToken: $token, fileIds: $files}) {
    __typename ... on SummarizeSuccess { job { id } } ... on Error { code message }
  }
}
"""


@pytest.fixture(scope="module")
async def hurried(tmp_path_factory: pytest.TempPathFactory, database_url: str) -> AsyncIterator[Runtime]:
    async with hurried_runtime(Path(tmp_path_factory.mktemp("hurried")), database_url) as rt:
        yield rt


async def _summarize(client: httpx.AsyncClient, org: Org, token: str, files: list[str] | None) -> Any:
    variables = {"token": token, "files": [to_global_id("MedicalFile", f) for f in files] if files else None}
    body = await gql(client, SUMMARIZE, variables, headers=org.headers(Role.CLINICIAN))
    assert "errors" not in body, body
    return body["data"]["summarize"]


def _job_id(asked: dict[str, Any]) -> uuid.UUID:
    return uuid_of(asked["job"]["id"], "Job")


@pytest.fixture(scope="module")
async def scene(client: httpx.AsyncClient, runtime: Runtime, hurried: Runtime) -> dict[str, Any]:
    """One patient: a lab PDF analyzed, a second lab PDF whose analysis failed after extraction."""
    org = await make_org(runtime)
    mrn = f"GAP-{uuid.uuid4().hex[:8]}"
    good, failed = await analyzed_and_failed(client, runtime, hurried, org, mrn, lab_pdf())
    return {"org": org, "token": good["patient_token"], "good": good, "failed": failed}


async def test_a_summary_of_the_latest_files_names_the_file_it_leaves_out(
    client: httpx.AsyncClient, runtime: Runtime, scene: dict[str, Any]
) -> None:
    org, token = scene["org"], scene["token"]
    asked = await _summarize(client, org, token, None)
    assert asked["__typename"] == "SummarizeSuccess", asked
    job = await run_job(runtime, _job_id(asked))
    assert (job.status, job.error_code) == ("SUCCEEDED", None)

    body = await gql(client, SUMMARY, {"token": token}, headers=org.headers(Role.ANALYST))
    assert "errors" not in body, body
    [edge] = body["data"]["summaries"]["edges"]
    node = edge["node"]
    good_id = to_global_id("MedicalFile", scene["good"]["file_id"])
    failed_id = to_global_id("MedicalFile", scene["failed"]["file_id"])
    name = f"PDF file {uuid.UUID(scene['failed']['file_id']).hex[:8]} v1"
    assert node["uncoveredFiles"] == [
        {
            "name": name,
            "reason": "FAILED",
            "errorCode": "stage_timeout",
            "file": {"id": failed_id, "version": 1},
        }
    ]
    assert [s["id"] for s in node["sources"]] == [good_id]
    assert {f["citation"]["file"]["id"] for f in node["findings"]} == {good_id}
    notice = (
        "NOT COVERED\n- 1 file was not analyzed; their findings are not in this summary.\n"
        f"- {name}: processing failed (stage_timeout)\n"
    )
    assert notice in node["text"]
    assert node["text"].index("NOT COVERED") < node["text"].index("CRITICAL FINDINGS")
    assert '<section class="not-covered"' in node["html"]
    assert f"<li>{name}: processing failed (stage_timeout)</li>" in node["html"]


async def test_naming_a_file_whose_analysis_failed_is_refused_with_the_count(
    client: httpx.AsyncClient, scene: dict[str, Any]
) -> None:
    files = [scene["good"]["file_id"], scene["failed"]["file_id"]]
    asked = await _summarize(client, scene["org"], scene["token"], files)
    assert asked == {
        "__typename": "ValidationError",
        "code": "files_not_analyzed",
        "message": "1 of the files could not be analyzed (their processing failed or was cancelled); "
        "upload them again or summarize without them",
    }
    # Naming only the analyzed file is fine.
    assert (await _summarize(client, scene["org"], scene["token"], files[:1]))["__typename"] == (
        "SummarizeSuccess"
    )


async def test_a_named_file_that_fails_while_the_summary_waits_fails_the_summary(
    client: httpx.AsyncClient, runtime: Runtime, hurried: Runtime
) -> None:
    org = await make_org(runtime)
    mrn = f"GAP-{uuid.uuid4().hex[:8]}"
    good = await upload(client, org, mrn, "labs-may", lab_pdf())
    failed = await upload(client, org, mrn, "labs-june", lab_pdf())
    # Asked while both are queued: accepted, the job would wait for them.
    asked = await _summarize(client, org, good["patient_token"], [good["file_id"], failed["file_id"]])
    assert asked["__typename"] == "SummarizeSuccess", asked
    await run_job(runtime, uuid.UUID(good["job_id"]))
    await fail_analysis(runtime, hurried, org, failed)

    job = await run_job(runtime, _job_id(asked))

    assert (job.status, job.error_code) == ("FAILED", "files_not_analyzed")
    assert job.error_message is not None
    assert job.error_message.startswith("1 of the files could not")
    async with runtime.sessions() as session:
        stored = (await session.execute(select(Summary).where(Summary.job_id == job.id))).all()
    assert stored == []


async def test_a_patient_with_no_analyzed_file_gets_no_summary(
    client: httpx.AsyncClient, runtime: Runtime, hurried: Runtime
) -> None:
    org = await make_org(runtime)
    failed = await upload(client, org, f"GAP-{uuid.uuid4().hex[:8]}", "labs", lab_pdf())
    await fail_analysis(runtime, hurried, org, failed)

    asked = await _summarize(client, org, failed["patient_token"], None)

    assert (asked["__typename"], asked["code"]) == ("ValidationError", "files_not_analyzed")


async def test_a_file_without_findings_is_analyzed_once_and_covered(
    client: httpx.AsyncClient, runtime: Runtime
) -> None:
    org = await make_org(runtime)
    quiet = await upload(client, org, f"GAP-{uuid.uuid4().hex[:8]}", "note", text_pdf(QUIET_NOTE))
    file_id = uuid.UUID(quiet["file_id"])
    assert (await run_job(runtime, uuid.UUID(quiet["job_id"]))).status == "SUCCEEDED"
    async with runtime.sessions() as session:
        marker = await session.get(FileAnalysis, file_id)
    assert marker is not None
    assert marker.findings == 0

    again = await analyze_file(runtime, file_id=file_id, organization_id=org.id)

    async with runtime.sessions() as session:
        markers = (await session.execute(select(FileAnalysis).where(FileAnalysis.file_id == file_id))).all()
        findings = (await session.execute(select(Finding).where(Finding.file_id == file_id))).all()
    assert (again, len(markers), findings) == ([], 1, [])
    asked = await _summarize(client, org, quiet["patient_token"], None)
    job = await run_job(runtime, _job_id(asked))
    assert (job.status, job.error_code) == ("SUCCEEDED", None)
    body = await gql(client, SUMMARY, {"token": quiet["patient_token"]}, headers=org.headers(Role.ANALYST))
    node = body["data"]["summaries"]["edges"][0]["node"]
    assert (node["uncoveredFiles"], [s["id"] for s in node["sources"]]) == (
        [],
        [to_global_id("MedicalFile", file_id)],
    )
    assert "NOT COVERED" not in node["text"]
