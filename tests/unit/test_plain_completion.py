"""Plain completion gives graphql-core's own answer, errors and paths included, on a schema made for it."""

from __future__ import annotations

import enum
from datetime import UTC, datetime
from typing import Any

import pytest
import strawberry

from multimed.graphql.plain_completion import PlainCompletionContext


@strawberry.enum
class Level(enum.Enum):
    LOW = "low"
    HIGH = "high"


@strawberry.type
class Leaf:
    name: str
    level: Level
    at: datetime
    note: str | None = None

    @strawberry.field
    def shout(self) -> str:
        return self.name.upper()

    @strawberry.field
    def broken(self) -> str:
        raise ValueError("resolver failed")

    @strawberry.field
    def missing(self) -> str:
        return None  # type: ignore[return-value]  # a non-null field answering null: an error in GraphQL


@strawberry.type
class Branch:
    title: str
    leaves: list[Leaf]
    maybe: list[Leaf | None]

    @strawberry.field
    async def later(self) -> str:  # not plain: async
        return self.title + "!"

    @strawberry.field
    def sized(self, n: int) -> int:  # not plain: takes an argument
        return len(self.leaves) * n


AT = datetime(2024, 5, 1, 12, 30, tzinfo=UTC)


def branches() -> list[Branch]:
    leaves = [Leaf(name=f"leaf{i}", level=Level.HIGH if i % 2 else Level.LOW, at=AT) for i in range(3)]
    return [
        Branch(title="one", leaves=leaves, maybe=[leaves[0], None]),
        Branch(title="two", leaves=[Leaf(name="x", level=Level.LOW, at=AT, note="n")], maybe=[]),
    ]


@strawberry.type
class Query:
    @strawberry.field
    async def branches(self) -> list[Branch]:
        return branches()

    @strawberry.field
    def first(self) -> Branch:
        return branches()[0]


schema = strawberry.Schema(query=Query, execution_context_class=PlainCompletionContext)

DOCUMENTS = {
    "plain tree": "{ branches { title leaves { name level at note shout } maybe { name } } }",
    "aliases and typename": "{ b: branches { __typename t: title l: leaves { n: name __typename } } }",
    "fragments": """
        query { first { ...B } branches { ...B } }
        fragment B on Branch { title leaves { ...L } }
        fragment L on Leaf { name level }
    """,
    "inline fragment and repeated field": "{ first { title ... on Branch { title leaves { name } } } }",
    "skip and include": """
        query($skip: Boolean!, $show: Boolean!) {
          branches { title @skip(if: $skip) leaves { name @include(if: $show) level } }
        }
    """,
    "non-plain siblings": "{ branches { title later sized(n: 2) leaves { name } } }",
    "a resolver error in a plain subtree": "{ branches { title leaves { name broken } } }",
    "null for non-null in a plain subtree": "{ first { leaves { missing } } }",
}


async def both(document: str, variables: dict[str, Any] | None = None) -> tuple[Any, Any]:
    answers = []
    for enabled in (True, False):
        PlainCompletionContext.enabled = enabled
        try:
            result = await schema.execute(document, variable_values=variables)
        finally:
            PlainCompletionContext.enabled = True
        errors = [(e.message, e.path) for e in result.errors or []]
        answers.append((result.data, errors))
    return answers[0], answers[1]


@pytest.mark.parametrize("name", DOCUMENTS)
async def test_same_answer_as_graphql_core(name: str) -> None:
    for variables in ({"skip": True, "show": False}, {"skip": False, "show": True}):
        plain, stock = await both(DOCUMENTS[name], variables)
        assert plain == stock
    if "error" in name or "null" in name:
        assert stock[1], "the document was meant to produce an error"


async def test_plans_are_used_for_plain_selections() -> None:
    """The fast path does run: a plain tree is completed without a resolve info per field."""
    built: list[str] = []
    original = PlainCompletionContext.build_resolve_info

    def counting(self: Any, field_def: Any, field_nodes: Any, parent_type: Any, path: Any) -> Any:
        built.append(field_nodes[0].name.value)
        return original(self, field_def, field_nodes, parent_type, path)

    PlainCompletionContext.build_resolve_info = counting  # type: ignore[method-assign]
    try:
        await schema.execute("{ branches { title leaves { name level } } }")
    finally:
        PlainCompletionContext.build_resolve_info = original  # type: ignore[method-assign]
    assert built == ["branches"]
