"""The live API answers the same with plain completion as graphql-core alone, on real summaries, findings,
files and patients (page cache off for the comparison: it would answer the second run from the first)."""

from __future__ import annotations

import httpx
import pytest

from api.graphql_client import gql
from api.test_query_counts import PAGE_QUERY, seed_summaries
from factories.users import Org, make_org
from multimed.auth.models import Role
from multimed.graphql.plain_completion import PlainCompletionContext
from multimed.runtime import Runtime

DOCUMENTS = {
    "page with nested loaders": (PAGE_QUERY, {"first": 5}),
    "fragments, aliases, typenames": (
        """
        query($first: Int!, $withText: Boolean!) {
          s: summaries(first: $first) { __typename totalCount edges { node { ...S } } }
        }
        fragment S on Summary {
          __typename i: id version text @include(if: $withText) hasCritical
          sections { title statements { severity text citations { quote charStart } } }
          findings { name severity kind value unit flag referenceLow referenceHigh }
          patient { __typename token }
        }
        """,
        {"first": 3, "withText": False},
    ),
    "findings list": (
        "{ findings(first: 10) { totalCount edges { node { id name value unit severity kind "
        "citation { quote charStart charEnd page file { id kind } } } } } }",
        {},
    ),
    "patients with their summary": (
        "{ patients(first: 5) { edges { node { token latestSummary { version sections { title } } } } } }",
        {},
    ),
}


@pytest.fixture(scope="module")
async def org(runtime: Runtime) -> Org:
    org = await make_org(runtime)
    await seed_summaries(runtime, org, patients=4, per_patient=2)
    return org


@pytest.mark.parametrize("name", DOCUMENTS)
async def test_same_answer_as_graphql_core(
    client: httpx.AsyncClient, runtime: Runtime, org: Org, name: str
) -> None:
    query, variables = DOCUMENTS[name]
    answers = []
    for enabled in (True, False):
        await runtime.cache.invalidate(org.id)
        PlainCompletionContext.enabled = enabled
        try:
            answers.append(await gql(client, query, variables, headers=org.headers(Role.CLINICIAN)))
        finally:
            PlainCompletionContext.enabled = True
    assert "errors" not in answers[0], answers[0]
    assert answers[0] == answers[1]
