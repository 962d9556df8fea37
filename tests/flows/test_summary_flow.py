"""The whole clinical flow on real components: upload a lab PDF, a dictation and a CT image, run their jobs,
summarize, and check what a clinician relies on — critical values first, every citation exact, no identifier.
"""

from __future__ import annotations

import io
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from api.graphql_client import gql
from factories.dicoms import read_testdata
from factories.pdfs import text_pdf
from factories.uploads import upload
from factories.users import Org, make_org
from multimed.auth.models import Role
from multimed.graphql.relay import uuid_of
from multimed.jobs.models import Job
from multimed.runtime import Runtime
from multimed.worker.inprocess import InProcessQueue
from transcription.speech_fixtures import AUDIO

NAME, MRN = "Johnathan Q. Smithers", "00847361"
LAB_LINES = [
    "MERCY GENERAL HOSPITAL - CLINICAL LABORATORY",
    f"Patient: {NAME}    MRN: {MRN}",
    "Collected: 03/14/2024 07:45",
    "Test                Result  Flag  Units    Reference",
    "Sodium              139           mmol/L   136-145",
    "Potassium           6.8     HH    mmol/L   3.5-5.1",
    "Glucose             182     H     mg/dL    70-99",
    "Hemoglobin          6.4     LL    g/dL     12.0-16.0",
    "Creatinine          1.0           mg/dL    0.6-1.2",
    "Comment: Critical potassium and hemoglobin called to the ward nurse and read back.",
]


def lab_pdf() -> bytes:
    return text_pdf(LAB_LINES)


def ct_dicom() -> bytes:
    ds = read_testdata("CT_small.dcm")
    ds.PatientName = "Smithers^Johnathan"
    ds.PatientID = MRN
    ds.StudyDescription = "CT CHEST WITHOUT CONTRAST"
    out = io.BytesIO()
    ds.save_as(out, enforce_file_format=True)
    return out.getvalue()


@pytest.fixture(scope="module")
async def queue(runtime: Runtime) -> AsyncIterator[InProcessQueue]:
    """A runner of our own: the shared runtime is an API-only process (job_concurrency 0)."""
    runner = InProcessQueue(runtime, concurrency=2)
    yield runner
    await runner.close()


async def _job(runtime: Runtime, job_id: str) -> Job:
    async with runtime.sessions() as session:
        job = await session.get(Job, uuid.UUID(job_id))
    assert job is not None
    return job


SUMMARY_QUERY = """
query($token: String!) {
  summaries(filter: {patientToken: $token}, first: 5) {
    totalCount
    edges { node {
      id version hasCritical text html
      sections { title statements { text severity
        citations { file { id kind text } version page startSeconds endSeconds charStart charEnd quote } } }
      findings { name severity value unit }
      sources { id kind }
    } }
  }
}
"""


@pytest.fixture(scope="module")
async def flow(client: httpx.AsyncClient, runtime: Runtime, queue: InProcessQueue) -> dict[str, Any]:
    org = await make_org(runtime)
    uploads = [
        await upload(client, org, MRN, "labs.pdf", lab_pdf()),
        await upload(client, org, MRN, "dictation.wav", (AUDIO / "chest_pain.wav").read_bytes()),
        await upload(client, org, MRN, "ct.dcm", ct_dicom()),
    ]
    token = uploads[0]["patient_token"]
    asked = await client.post(
        "/summarize", headers=org.headers(Role.CLINICIAN), json={"patient_token": token}
    )
    assert asked.status_code == 202, asked.text
    # The summary job is queued first on purpose: it must wait for the three file jobs it covers.
    await queue.enqueue(await _job(runtime, asked.json()["job_id"]))
    for uploaded in uploads:
        await queue.enqueue(await _job(runtime, uploaded["job_id"]))
    await queue.wait_idle()
    jobs = [await _job(runtime, u["job_id"]) for u in uploads] + [await _job(runtime, asked.json()["job_id"])]
    body = await gql(client, SUMMARY_QUERY, {"token": token}, headers=org.headers(Role.ANALYST))
    return {"org": org, "token": token, "jobs": jobs, "body": body, "summary_job": asked.json()["job_id"]}


def _summary(flow: dict[str, Any]) -> dict[str, Any]:
    assert "errors" not in flow["body"], flow["body"]
    edges = flow["body"]["data"]["summaries"]["edges"]
    assert len(edges) == 1
    return dict(edges[0]["node"])


def test_every_job_succeeded(flow: dict[str, Any]) -> None:
    assert [(j.status, j.error_code) for j in flow["jobs"]] == [("SUCCEEDED", None)] * 4
    summary_job = flow["jobs"][-1]
    assert summary_job.finished_at is not None
    assert all(summary_job.started_at >= j.finished_at for j in flow["jobs"][:3])  # type: ignore[operator]


def test_critical_values_come_first(flow: dict[str, Any]) -> None:
    summary = _summary(flow)
    assert summary["hasCritical"] is True
    titles = [s["title"] for s in summary["sections"]]
    assert titles == [
        "Critical findings",
        "Abnormal results",
        "Imaging",
        "Clinical notes",
        "Normal results in brief",
    ]
    critical = " | ".join(st["text"] for st in summary["sections"][0]["statements"])
    assert "Potassium 6.8" in critical
    assert "Hemoglobin 6.4" in critical
    assert all(st["severity"] == "CRITICAL" for st in summary["sections"][0]["statements"])
    abnormal = " | ".join(st["text"] for st in summary["sections"][1]["statements"])
    assert "Glucose 182" in abnormal
    # Chest pain is a red flag of severity ABNORMAL in the packaged rules (often benign; a hospital can raise
    # it in findings/clinical/data/red-flags.json).
    assert 'Chest pain: "Patient reports chest pain' in abnormal
    imaging = summary["sections"][2]["statements"]
    assert imaging
    assert imaging[0]["citations"][0]["file"]["kind"] == "DICOM"
    assert "sodium 139" in summary["sections"][4]["statements"][0]["text"]


def test_every_citation_quotes_the_deidentified_text_exactly(flow: dict[str, Any]) -> None:
    summary = _summary(flow)
    citations = [c for s in summary["sections"] for st in s["statements"] for c in st["citations"]]
    assert citations
    for c in citations:
        if c["charStart"] is None:  # DICOM metadata
            assert c["file"]["kind"] == "DICOM"
            continue
        assert c["file"]["text"][c["charStart"] : c["charEnd"]] == c["quote"]
        if c["file"]["kind"] == "PDF":
            assert c["page"] == 1
        else:
            assert c["startSeconds"] is not None
            assert c["endSeconds"] >= c["startSeconds"]


def test_potassium_in_pdf_and_dictation_is_one_statement(flow: dict[str, Any]) -> None:
    summary = _summary(flow)
    potassium = [
        st for s in summary["sections"] for st in s["statements"] if st["text"].startswith("Potassium")
    ]
    assert len(potassium) == 1
    kinds = {c["file"]["kind"] for c in potassium[0]["citations"]}
    assert kinds == {"PDF", "AUDIO"}


async def test_no_identifier_in_the_summary(flow: dict[str, Any], runtime: Runtime) -> None:
    summary = _summary(flow)
    for rendering in (summary["text"], summary["html"]):
        for secret in (NAME, "Smithers", "Johnathan", MRN, "03/14/2024"):
            assert secret not in rendering
    detector = await runtime.phi_detector()
    found = [
        s for s in detector.analyze(summary["text"]) if s.type.value in ("PATIENT", "MRN", "PHONE", "EMAIL")
    ]
    assert found == []


async def test_summaries_are_versioned_and_immutable(
    client: httpx.AsyncClient, runtime: Runtime, queue: InProcessQueue, flow: dict[str, Any]
) -> None:
    org: Org = flow["org"]
    first = _summary(flow)
    asked = await client.post(
        "/summarize", headers=org.headers(Role.CLINICIAN), json={"patient_token": flow["token"]}
    )
    await queue.enqueue(await _job(runtime, asked.json()["job_id"]))
    await queue.wait_idle()
    body = await gql(client, SUMMARY_QUERY, {"token": flow["token"]}, headers=org.headers(Role.CLINICIAN))
    versions = [e["node"]["version"] for e in body["data"]["summaries"]["edges"]]
    assert versions == [2, 1]
    assert body["data"]["summaries"]["edges"][1]["node"]["text"] == first["text"]
    async with runtime.engine.connect() as conn:
        with pytest.raises(DBAPIError, match="immutable"):
            await conn.execute(text("UPDATE summaries SET text = 'changed'"))


async def test_rest_summary_has_the_graphql_shape(
    client: httpx.AsyncClient, runtime: Runtime, flow: dict[str, Any]
) -> None:
    org: Org = flow["org"]
    summary_id = _summary(flow)["id"]
    raw = uuid_of(summary_id, "Summary")
    response = await client.get(f"/summaries/{raw}", headers=org.headers(Role.ANALYST))
    assert response.status_code == 200
    data = response.json()
    assert data["patient_token"] == flow["token"]
    assert next(s["title"] for s in data["sections"]) == "Critical findings"
    assert data["sections"][0]["statements"][0]["citations"][0]["quote"]
    other = (await make_org(runtime)).headers(Role.CLINICIAN)
    assert (await client.get(f"/summaries/{raw}", headers=other)).status_code == 404
    auditor = await client.get(f"/summaries/{raw}", headers=org.headers(Role.AUDITOR))
    assert auditor.status_code == 403
