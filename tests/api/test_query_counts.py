"""A page of summaries with their patient, findings, citations and sources costs a constant number of SQL
statements, whatever its size: every nested field goes through a per-request DataLoader."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from api.graphql_client import gql
from factories.users import Org, make_org
from multimed.auth.models import Role
from multimed.core.db import transaction, utcnow
from multimed.files.models import FileKind, MedicalFile
from multimed.findings import service as findings_service
from multimed.findings.citation import Citation
from multimed.findings.draft import FindingDraft, FindingKind, Severity
from multimed.patients import service as patients_service
from multimed.runtime import Runtime
from multimed.summaries import service as summaries_service
from multimed.summaries.builder import Section, Statement, sections_to_json
from multimed.summaries.models import Summary

QUOTES = ("Potassium 6.8 mmol/L", "Glucose 182 mg/dL")


@contextmanager
def sql_statements(engine: AsyncEngine) -> Iterator[list[str]]:
    """Every statement sent to PostgreSQL while the block runs (any session, any connection)."""
    seen: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", record)


async def seed_summaries(
    runtime: Runtime,
    org: Org,
    *,
    patients: int = 1,
    tokens: Sequence[str] = (),
    per_patient: int = 1,
    at: datetime | None = None,
) -> list[str]:
    """For each of `tokens` (or `patients` new patients): one PDF, two findings and `per_patient` new
    summaries citing them, stored through the services in one transaction; the cache is invalidated after
    the commit, as the pipelines do. Returns the patient tokens."""
    at = at or utcnow()
    tokens = list(tokens) or [secrets.token_hex(32) for _ in range(patients)]
    async with transaction(runtime.sessions) as session:
        for token in tokens:
            patient = await patients_service.get_or_create(
                session=session, organization_id=org.id, token=token
            )
            file = MedicalFile(
                organization_id=org.id,
                patient_id=patient.id,
                kind=FileKind.PDF.value,
                content_type="application/pdf",
                size_bytes=1000,
                sha256="0" * 64,
                blob_key=f"seed/{uuid.uuid4()}",
                wrapped_key=b"not-a-key",
                key_id="seed",
                version=1,
                logical_key=uuid.uuid4().hex,
                uploaded_by=org.users[Role.CLINICIAN].id,
            )
            session.add(file)
            await session.flush()
            citations = [
                Citation(file_id=file.id, version=1, quote=q, page=1, char_start=0, char_end=len(q))
                for q in QUOTES
            ]
            drafts = [
                FindingDraft(
                    FindingKind.LAB, "Potassium", Severity.CRITICAL, 0, 20, value=6.8, unit="mmol/L"
                ),
                FindingDraft(FindingKind.LAB, "Glucose", Severity.ABNORMAL, 0, 17, value=182, unit="mg/dL"),
            ]
            findings = await findings_service.store(
                session=session, file=file, drafts=list(zip(drafts, citations, strict=True)), observed_at=at
            )
            sections = [
                Section(
                    "Critical findings",
                    (Statement(QUOTES[0], Severity.CRITICAL, (citations[0],), (findings[0].id,)),),
                ),
                Section(
                    "Abnormal results",
                    (Statement(QUOTES[1], Severity.ABNORMAL, (citations[1],), (findings[1].id,)),),
                ),
            ]
            for i in range(per_patient):
                version = await summaries_service.next_version(session=session, patient=patient)
                summary = Summary(
                    organization_id=org.id,
                    patient_id=patient.id,
                    version=version,
                    has_critical=True,
                    sections=sections_to_json(sections),
                    text="\n".join(QUOTES),
                    html="".join(f"<p>{q}</p>" for q in QUOTES),
                    source_file_ids=[str(file.id)],
                    summarizer="seed",
                    created_at=at + timedelta(seconds=i),
                )
                await summaries_service.store(
                    session=session, summary=summary, finding_ids=[f.id for f in findings]
                )
    await runtime.cache.invalidate(org.id)
    return tokens


PAGE_QUERY = """
query($first: Int!) {
  summaries(first: $first) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node {
      id version createdAt hasCritical text html
      patient { id token }
      sections { title statements { text severity } }
      findings { id name severity value unit citation { quote charStart file { id version } } }
      sources { id kind version text uploadedBy { id } }
    } }
  }
}
"""


@pytest.fixture(scope="module")
async def org(runtime: Runtime) -> Org:
    org = await make_org(runtime)
    await seed_summaries(runtime, org, patients=50)
    return org


async def _statements(client: httpx.AsyncClient, runtime: Runtime, org: Org, first: int) -> list[str]:
    await runtime.cache.invalidate(org.id)  # count the uncached path: the cache would hide the query
    with sql_statements(runtime.engine) as seen:
        body = await gql(client, PAGE_QUERY, {"first": first}, headers=org.headers(Role.CLINICIAN))
    assert "errors" not in body, body
    page = body["data"]["summaries"]
    assert (page["totalCount"], len(page["edges"])) == (50, first)
    node = page["edges"][0]["node"]
    assert [f["name"] for f in node["findings"]] == ["Potassium", "Glucose"]
    assert [s["id"] for s in node["sources"]] == [node["findings"][0]["citation"]["file"]["id"]]
    assert len(node["patient"]["token"]) == 64
    return seen


async def test_statements_do_not_grow_with_the_page(
    client: httpx.AsyncClient, runtime: Runtime, org: Org
) -> None:
    small = await _statements(client, runtime, org, 10)
    large = await _statements(client, runtime, org, 50)
    assert len(large) == len(small), (small, large)


async def test_statements_are_few(client: httpx.AsyncClient, runtime: Runtime, org: Org) -> None:
    # the page with its total, then one batch each: patients, findings, files (sources and citation files
    # share the loader's batch), texts, users.
    seen = await _statements(client, runtime, org, 50)
    assert len(seen) == 6, seen


async def test_a_cached_page_costs_only_its_nested_batches(
    client: httpx.AsyncClient, runtime: Runtime, org: Org
) -> None:
    cold = await _statements(client, runtime, org, 50)
    with sql_statements(runtime.engine) as warm:
        await gql(client, PAGE_QUERY, {"first": 50}, headers=org.headers(Role.CLINICIAN))
    assert len(warm) == len(cold) - 1  # the page (with its total) is served from the cache


WALK_QUERY = """
query($first: Int!, $after: String) {
  summaries(first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { cursor } }
}
"""


async def test_every_page_states_the_whole_total_even_an_empty_one(
    client: httpx.AsyncClient, runtime: Runtime, org: Org
) -> None:
    """The total rides on the page query, which sees only the rows after the cursor: it must still count them
    all, on the last page and on the empty page after it (where it takes a statement of its own)."""
    await runtime.cache.invalidate(org.id)
    seen: list[tuple[int, int, bool]] = []
    after: str | None = None
    while True:
        body = await gql(
            client, WALK_QUERY, {"first": 20, "after": after}, headers=org.headers(Role.CLINICIAN)
        )
        page = body["data"]["summaries"]
        seen.append((page["totalCount"], len(page["edges"]), page["pageInfo"]["hasNextPage"]))
        if not page["edges"]:
            break
        after = page["edges"][-1]["cursor"]
    assert seen == [(50, 20, True), (50, 20, True), (50, 10, False), (50, 0, False)]
