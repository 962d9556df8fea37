"""The in-process runner: ordered progress events over the subscription, cancellation, transient retries."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from factories.uploads import upload
from factories.users import Org, make_org
from flows.test_summary_flow import lab_pdf
from multimed.auth.models import Role
from multimed.core.db import transaction
from multimed.core.errors import InvalidInput
from multimed.graphql.context import Context
from multimed.graphql.relay import to_global_id
from multimed.graphql.schema import schema
from multimed.jobs import service as jobs_service
from multimed.jobs.models import Job, JobStage
from multimed.patients import service as patients_service
from multimed.runtime import Runtime
from multimed.worker.execute import _step
from multimed.worker.inprocess import InProcessQueue

PROGRESS = "subscription($id: ID!) { jobProgress(jobId: $id) { jobId status stage progress message at } }"


@pytest.fixture
async def queue(runtime: Runtime) -> AsyncIterator[InProcessQueue]:
    runner = InProcessQueue(runtime, concurrency=2)
    yield runner
    await runner.close()


async def _upload(client: httpx.AsyncClient, org: Org, data: bytes) -> dict[str, Any]:
    """`data` uploaded as the lab file of a new patient."""
    return await upload(client, org, f"RUN-{uuid.uuid4().hex[:6]}", "labs.pdf", data)


async def _job(runtime: Runtime, job_id: str) -> Job:
    async with runtime.sessions() as session:
        job = await session.get(Job, uuid.UUID(job_id))
    assert job is not None
    return job


async def _events(runtime: Runtime, org: Org, job_id: str, role: Role = Role.ANALYST) -> AsyncIterator[Any]:
    context = Context(runtime=runtime, principal=org.principal(role), request_id=None)
    result = await schema.subscribe(
        PROGRESS, variable_values={"id": to_global_id("Job", job_id)}, context_value=context
    )
    if hasattr(result, "errors"):  # refused before streaming (validation)
        yield result
        return
    async for item in result:
        yield item


async def test_subscriber_sees_the_current_state_then_ordered_events_to_the_end(
    client: httpx.AsyncClient, runtime: Runtime, queue: InProcessQueue
) -> None:
    org = await make_org(runtime)
    uploaded = await _upload(client, org, lab_pdf())
    received: list[dict[str, Any]] = []

    async def listen() -> None:
        async for item in _events(runtime, org, uploaded["job_id"]):
            assert item.errors is None, item.errors
            received.append(item.data["jobProgress"])

    listener = asyncio.create_task(listen())
    await asyncio.sleep(0.2)  # subscribed
    await queue.enqueue(await _job(runtime, uploaded["job_id"]))
    await asyncio.wait_for(listener, timeout=300)  # the stream ends by itself when the job ends

    assert received[0]["status"] == "QUEUED"
    assert received[-1]["status"] == "SUCCEEDED"
    assert received[-1]["progress"] == 1.0
    stages = [e["stage"] for e in received if e["stage"]]
    assert stages.index("EXTRACT") < stages.index("ANALYZE")
    progress = [e["progress"] for e in received]
    assert progress == sorted(progress)
    assert [e["at"] for e in received] == sorted(e["at"] for e in received)


async def test_late_subscriber_gets_the_final_state_and_the_stream_ends(
    client: httpx.AsyncClient, runtime: Runtime, queue: InProcessQueue
) -> None:
    org = await make_org(runtime)
    uploaded = await _upload(client, org, b"%PDF-1.4 not really a pdf")
    await queue.enqueue(await _job(runtime, uploaded["job_id"]))
    await queue.wait_idle()
    events = [item.data["jobProgress"] async for item in _events(runtime, org, uploaded["job_id"])]
    assert len(events) == 1
    assert events[0]["status"] == "FAILED"
    assert events[0]["message"]  # the typed error code, no patient data


async def test_other_organization_and_auditor_cannot_subscribe(
    client: httpx.AsyncClient, runtime: Runtime
) -> None:
    org, other = await make_org(runtime), await make_org(runtime)
    uploaded = await _upload(client, org, lab_pdf())
    items = [item async for item in _events(runtime, other, uploaded["job_id"])]
    assert items[0].errors[0].message == "job not found"
    items = [item async for item in _events(runtime, org, uploaded["job_id"], Role.AUDITOR)]
    assert items[0].errors


async def test_cancel_a_queued_job_then_cancel_again_is_refused(
    client: httpx.AsyncClient, runtime: Runtime, queue: InProcessQueue
) -> None:
    org = await make_org(runtime)
    uploaded = await _upload(client, org, lab_pdf())
    mutation = (
        "mutation($id: ID!) { cancelJob(id: $id) { __typename "
        "... on CancelJobSuccess { job { status } } ... on Error { code } } }"
    )
    variables = {"id": to_global_id("Job", uploaded["job_id"])}
    first = await client.post(
        "/graphql", json={"query": mutation, "variables": variables}, headers=org.headers(Role.CLINICIAN)
    )
    assert first.json()["data"]["cancelJob"] == {
        "__typename": "CancelJobSuccess",
        "job": {"status": "CANCELLED"},
    }
    second = await client.post(
        "/graphql", json={"query": mutation, "variables": variables}, headers=org.headers(Role.CLINICIAN)
    )
    assert second.json()["data"]["cancelJob"]["code"] == "job_finished"
    await queue.enqueue(await _job(runtime, uploaded["job_id"]))
    await queue.wait_idle()
    job = await _job(runtime, uploaded["job_id"])
    assert (job.status, job.stage, job.stage_seconds) == ("CANCELLED", None, {})


async def test_cancel_a_running_job_stops_it_before_the_next_stage(
    client: httpx.AsyncClient, runtime: Runtime, queue: InProcessQueue
) -> None:
    org = await make_org(runtime)
    uploaded = await _upload(client, org, lab_pdf())
    await queue.enqueue(await _job(runtime, uploaded["job_id"]))
    for _ in range(600):
        job = await _job(runtime, uploaded["job_id"])
        if job.status == "RUNNING":
            break
        await asyncio.sleep(0.05)
    async with transaction(runtime.sessions) as session:
        await jobs_service.cancel(session=session, organization_id=org.id, job_id=job.id)
    queue.cancel(job.id)
    await queue.wait_idle()
    job = await _job(runtime, uploaded["job_id"])
    assert job.status == "CANCELLED"
    assert "ANALYZE" not in job.stage_seconds


async def test_transient_failures_are_retried_with_backoff_bad_input_is_not(runtime: Runtime) -> None:
    org = await make_org(runtime)
    async with transaction(runtime.sessions) as session:
        patient = await patients_service.get_or_create(session=session, organization_id=org.id, token="retry")
        job = await jobs_service.create(
            session=session,
            organization_id=org.id,
            patient_id=patient.id,
            kind=jobs_service.JobKind.SUMMARIZE,
            created_by=org.users[Role.CLINICIAN].id,
        )
    runtime.settings.job_retry_base_seconds = 0.01
    attempts: list[float] = []

    async def flaky() -> None:
        attempts.append(asyncio.get_running_loop().time())
        if len(attempts) < 3:
            raise ConnectionError("database restarting")

    await _step(runtime, job, JobStage.SUMMARIZE, flaky)
    assert len(attempts) == 3
    assert attempts[2] - attempts[1] > attempts[1] - attempts[0]  # backoff grows

    calls: list[int] = []

    async def bad_input() -> None:
        calls.append(1)
        raise InvalidInput("no", code="bad")

    with pytest.raises(Exception, match="no"):
        await _step(runtime, job, JobStage.SUMMARIZE, bad_input)
    assert calls == [1]
