"""Whole-response cache: which documents qualify, and what the HTTP path serves, stores and refuses.

Staleness, organizations and roles are covered for both cache layers by test_cache.py.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from api.test_query_counts import seed_summaries
from factories.users import make_org
from multimed.auth.models import Role
from multimed.graphql.cacheable import reads_only_immutable
from multimed.graphql.schema import schema
from multimed.runtime import Runtime

SUMMARIES = """
query Page($token: String) {
  summaries(filter: {patientToken: $token}) {
    totalCount
    edges {
      cursor
      node { id version hasCritical sections { title statements { text citations { quote } } } }
    }
    pageInfo { hasNextPage endCursor }
  }
}
"""


def cacheable(text: str, operation: str | None = None) -> bool:
    return reads_only_immutable(schema._schema, text, operation, max_tokens=4000)


@pytest.mark.parametrize(
    "text",
    [
        SUMMARIES,
        "{ findings(filter: {severity: CRITICAL}) { edges { node { name citation { quote page } } } } }",
        '{ summary(id: "x") { __typename id text html } }',
        "query { summaries { ...S } } fragment S on SummaryConnection { totalCount }",
    ],
)
def test_reads_of_summaries_and_findings_qualify(text: str) -> None:
    assert cacheable(text)


@pytest.mark.parametrize(
    "text",
    [
        "{ summaries { edges { node { patient { token } } } } }",  # a patient's files and counts change
        "{ summaries { edges { node { sources { id } } } } }",
        "{ findings { edges { node { citation { file { __typename } } } } } }",  # null or not can change
        "{ patients { totalCount } }",
        "{ me { id } }",
        "{ __schema { queryType { name } } }",
        'mutation { summarize(patientToken: "x") { __typename } }',
        "subscription { notifications { id } }",
        "query A { summaries { totalCount } } query B { patients { totalCount } }",  # which one runs?
        "{ summaries { totalCount ",  # does not parse
        "{ summaries { nope } }",  # not in the schema: Strawberry reports it
    ],
)
def test_anything_else_does_not(text: str) -> None:
    assert not cacheable(text)


def test_a_named_operation_is_judged_alone_only_when_every_operation_is_a_query() -> None:
    two = "query A { summaries { totalCount } } query B { findings { totalCount } }"
    assert cacheable(two, "A")
    assert not cacheable(two, "C")
    assert not cacheable(two + ' mutation M { summarize(patientToken: "x") { __typename } }', "A")


@pytest.fixture
async def http(runtime: Runtime) -> Any:
    from multimed.app import create_app

    assert runtime.settings.cache_responses
    assert runtime.cache.enabled
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=create_app(runtime=runtime)), base_url="http://testserver"
    ) as client:
        yield client


async def _post(http: httpx.AsyncClient, headers: dict[str, str], body: dict[str, Any]) -> httpx.Response:
    return await http.post("/graphql", json=body, headers=headers)


async def test_second_identical_request_is_served_from_the_cache_byte_for_byte(
    runtime: Runtime, http: httpx.AsyncClient
) -> None:
    org = await make_org(runtime)
    [token] = await seed_summaries(runtime, org)
    body = {"query": SUMMARIES, "variables": {"token": token}, "operationName": "Page"}

    first = await _post(http, org.headers(Role.CLINICIAN), body)
    second = await _post(http, org.headers(Role.CLINICIAN), body)
    other_variables = await _post(http, org.headers(Role.CLINICIAN), {**body, "variables": {"token": "x"}})

    assert first.headers["x-multimed-cache"] == "miss"
    assert second.headers["x-multimed-cache"] == "hit"
    assert second.content == first.content
    assert second.headers["content-type"] == "application/json"
    assert first.json()["data"]["summaries"]["totalCount"] == 1
    assert other_variables.headers["x-multimed-cache"] == "miss"
    assert other_variables.json()["data"]["summaries"]["totalCount"] == 0


async def test_answers_with_errors_are_never_stored(runtime: Runtime, http: httpx.AsyncClient) -> None:
    org = await make_org(runtime)
    body = {"query": SUMMARIES, "variables": {"token": 42}}  # String expected: a validation error

    answers = [await _post(http, org.headers(Role.CLINICIAN), body) for _ in range(2)]

    assert [a.headers["x-multimed-cache"] for a in answers] == ["miss", "miss"]
    assert all("errors" in a.json() for a in answers)


async def test_a_refused_role_is_refused_every_time(runtime: Runtime, http: httpx.AsyncClient) -> None:
    org = await make_org(runtime)
    [token] = await seed_summaries(runtime, org)
    body = {"query": SUMMARIES, "variables": {"token": token}}
    await _post(http, org.headers(Role.CLINICIAN), body)  # cached for clinicians

    refused = [await _post(http, org.headers(Role.AUDITOR), body) for _ in range(2)]

    assert [r.json()["errors"][0]["extensions"]["code"] for r in refused] == ["FORBIDDEN", "FORBIDDEN"]


async def test_callers_without_a_valid_token_never_reach_the_cache(
    runtime: Runtime, http: httpx.AsyncClient
) -> None:
    org = await make_org(runtime)
    [token] = await seed_summaries(runtime, org)
    body = {"query": SUMMARIES, "variables": {"token": token}}
    await _post(http, org.headers(Role.CLINICIAN), body)

    anonymous = await _post(http, {}, body)
    forged = await _post(http, {"Authorization": "Bearer not.a.token"}, body)

    assert "x-multimed-cache" not in anonymous.headers
    assert "x-multimed-cache" not in forged.headers
    assert anonymous.json()["data"] is None
    assert forged.status_code == 401


async def test_other_requests_pass_through_untouched(runtime: Runtime, http: httpx.AsyncClient) -> None:
    org = await make_org(runtime)
    headers = org.headers(Role.CLINICIAN)
    patients = await _post(http, headers, {"query": "{ patients { totalCount } }"})
    as_get = await http.get("/graphql", params={"query": "{ summaries { totalCount } }"}, headers=headers)
    not_json = await http.post(
        "/graphql", content=b"{ nope", headers=headers | {"content-type": "application/json"}
    )

    assert "x-multimed-cache" not in patients.headers
    assert patients.status_code == 200
    assert "x-multimed-cache" not in as_get.headers
    assert as_get.status_code == 200
    assert not_json.status_code == 400
