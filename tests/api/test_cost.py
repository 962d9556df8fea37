"""Query cost: the price of a document, and the refusal that runs nothing."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import pytest
from graphql import parse

from api.graphql_client import gql
from factories.users import make_org
from multimed.app import create_app
from multimed.auth.models import Role
from multimed.graphql.cost import CostCache, operation_cost
from multimed.graphql.schema import schema
from multimed.runtime import Runtime


def cost(query: str, variables: dict[str, object] | None = None) -> int:
    return operation_cost(schema._schema, parse(query), None, variables)


@asynccontextmanager
async def client_with_limit(runtime: Runtime, max_cost: int) -> AsyncIterator[httpx.AsyncClient]:
    """The app on the shared runtime with MULTIMED_GRAPHQL_MAX_COST=max_cost."""
    settings = runtime.settings.model_copy(update={"graphql_max_cost": max_cost})
    transport = httpx.ASGITransport(app=create_app(settings, runtime=runtime))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


@pytest.fixture
async def strict_client(runtime: Runtime) -> AsyncIterator[httpx.AsyncClient]:
    async with client_with_limit(runtime, 30) as http:
        yield http


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("{ me { username role } }", 1),  # an object field 1, its scalars 0
        ("{ __typename }", 0),
        ("mutation { markNotificationsRead(ids: []) }", 1),  # a root field works, even returning a scalar
        ('{ file(id: "x") { text } }', 1 + 5),  # MedicalFile.text is priced 5
        ('{ summary(id: "x") { text html } }', 1 + 2 + 2),
        ('{ anonymizeText(text: "x") { text } }', 20),
        ('{ file(id: "x") { versions { id } } }', 1 + 1 + 5 * 0),  # a list: 1 + 5 * what is beneath
        ('{ file(id: "x") { versions { uploadedBy { id } } } }', 1 + 1 + 5 * 1),
    ],
)
def test_field_prices(query: str, expected: int) -> None:
    assert cost(query) == expected


def test_connection_multiplies_what_is_beneath_by_its_page_size() -> None:
    # 1 (patients) + 20 * (1 pageInfo + 1 edges + 1 node); edges are not multiplied again as a list
    assert cost("{ patients { pageInfo { hasNextPage } edges { node { token } } } }") == 1 + 20 * 3


def test_nested_connections_multiply() -> None:
    query = """query($n: Int) { patients(first: $n) { edges { node {
        files(first: $n) { edges { node { id job { status } } } } } } } }"""
    inner = 1 + 10 * (1 + 1 + 1)  # files: edges, node, job
    assert cost(query, {"n": 10}) == 1 + 10 * (1 + 1 + inner)
    assert cost(query, {"n": 100}) == 1 + 100 * (1 + 1 + (1 + 100 * 3))


def test_first_100_costs_ten_times_first_10() -> None:
    query = "query($first: Int) { findings(first: $first) { edges { node { name citation { quote } } } } }"

    ten, hundred = cost(query, {"first": 10}), cost(query, {"first": 100})

    assert (ten, hundred) == (1 + 10 * 3, 1 + 100 * 3)
    assert cost("{ findings(first: 100) { edges { node { name citation { quote } } } } }") == hundred


def test_variable_default_and_missing_first() -> None:
    query = "query($first: Int = 50) { summaries(first: $first) { edges { node { id } } } }"

    assert cost(query) == 1 + 50 * 2
    assert cost(query, {"first": 5}) == 1 + 5 * 2
    assert cost("{ summaries { edges { node { id } } } }") == 1 + 20 * 2


def test_fragments_and_inline_fragments_are_counted() -> None:
    plain = '{ summary(id: "x") { sections { statements { citations { file { id } } } } } }'
    spread = """query { summary(id: "x") { ...S } }
        fragment S on Summary { sections { ...Section } }
        fragment Section on SummarySection { statements { citations { file { id } } } }"""
    inline = """{ summary(id: "x") { ... on Summary {
        sections { statements { ... { citations { file { id } } } } } } } }"""

    expected = 1 + 1 + 5 * (1 + 5 * (1 + 5 * 1))  # summary, sections * (statements * (citations * file))
    assert cost(plain) == cost(spread) == cost(inline) == expected


def test_every_branch_of_a_union_counts() -> None:
    query = """mutation { summarize(input: {patientToken: "t"}) {
        ... on SummarizeSuccess { job { id file { id } } } ... on Error { code } } }"""

    assert cost(query) == 10 + (1 + 1)  # summarize 10, job 1, file 1; the Error branch only scalars


def test_only_the_requested_operation_is_priced() -> None:
    document = parse("query A { me { id } } query B { patients(first: 100) { edges { node { id } } } }")

    assert operation_cost(schema._schema, document, "A") == 1
    assert operation_cost(schema._schema, document, "B") == 1 + 100 * 2


async def test_cheap_query_passes(strict_client: httpx.AsyncClient, runtime: Runtime) -> None:
    org = await make_org(runtime)

    body = await gql(strict_client, "{ me { role } }", headers=org.headers(Role.ADMIN))

    assert body == {"data": {"me": {"role": "ADMIN"}}}


async def test_expensive_query_is_refused_with_its_cost_and_the_limit(
    strict_client: httpx.AsyncClient, runtime: Runtime
) -> None:
    org = await make_org(runtime)
    query = "{ patients(first: 10) { edges { node { token } } } }"  # 1 + 10 * 2 = 21: passes
    assert "errors" not in await gql(strict_client, query, headers=org.headers(Role.CLINICIAN))

    body = await gql(strict_client, query.replace("10", "20"), headers=org.headers(Role.CLINICIAN))

    assert body["data"] is None
    assert body["errors"] == [
        {
            "message": "Query cost 41 exceeds the limit of 30: ask for smaller pages (first) or fewer lists.",
            "extensions": {"code": "QUERY_TOO_EXPENSIVE", "cost": 41, "limit": 30},
        }
    ]


async def test_refused_mutation_does_not_execute(client: httpx.AsyncClient, runtime: Runtime) -> None:
    org = await make_org(runtime)
    admin = org.headers(Role.ADMIN)
    username = f"u-{uuid.uuid4().hex[:8]}"
    create = """mutation($u: String!) { createUser(input: {username: $u, password: "long enough password",
        role: ANALYST}) { __typename ... on CreateUserSuccess { user { id } } } }"""  # costs 2
    audit = '{ auditEvents(filter: {action: "admin.user_create"}) { totalCount } }'
    before = (await gql(client, audit, headers=admin))["data"]["auditEvents"]["totalCount"]

    async with client_with_limit(runtime, 1) as strict:
        refused = await gql(strict, create, {"u": username}, headers=admin)

    assert refused == {
        "data": None,
        "errors": [
            {
                "message": "Query cost 2 exceeds the limit of 1: "
                "ask for smaller pages (first) or fewer lists.",
                "extensions": {"code": "QUERY_TOO_EXPENSIVE", "cost": 2, "limit": 1},
            }
        ],
    }
    after = (await gql(client, audit, headers=admin))["data"]["auditEvents"]["totalCount"]
    assert after == before  # no audit row: the resolver never ran
    created = await gql(client, create, {"u": username}, headers=admin)
    assert created["data"]["createUser"]["__typename"] == "CreateUserSuccess"  # the name was still free
    assert (await gql(client, audit, headers=admin))["data"]["auditEvents"]["totalCount"] == before + 1


def test_cost_cache_keys_on_text_operation_and_integer_variables() -> None:
    cache = CostCache(maxsize=2)
    query = "query($first: Int) { summaries(first: $first) { edges { node { id } } } }"
    document = parse(query)

    prices = [cache.cost(schema._schema, document, query, None, {"first": n}) for n in (10, 100, 10, 7)]

    assert prices == [1 + 10 * 2, 1 + 100 * 2, 1 + 10 * 2, 1 + 7 * 2]
    assert len(cache._entries) == 2  # bounded: the oldest entry went
