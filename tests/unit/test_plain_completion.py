"""Plain completion gives graphql-core's own answer, errors and paths included, on a schema made for it."""

from __future__ import annotations

import enum
from datetime import UTC, datetime
from typing import Any

import pytest
import strawberry
from graphql import FragmentDefinitionNode, OperationDefinitionNode, parse
from strawberry.extensions import ParserCache

from multimed.graphql.plain_completion import PlainCompletionContext
from multimed.graphql.plan_sharing import directives_read_variables


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


_parser_cache = ParserCache()  # one for all requests, as in the application's schema
cached_schema = strawberry.Schema(
    query=Query, execution_context_class=PlainCompletionContext, extensions=[lambda: _parser_cache]
)


async def _compiles(document: str, variables: dict[str, Any] | None = None) -> tuple[int, Any]:
    """How many plans one execution compiled, and its answer (checked against graphql-core's)."""
    compiled: list[str] = []
    original = PlainCompletionContext._compile

    def counting(self: Any, object_type: Any, field_details_list: Any) -> Any:
        compiled.append(object_type.name)
        return original(self, object_type, field_details_list)

    PlainCompletionContext._compile = counting  # type: ignore[method-assign]
    try:
        result = await cached_schema.execute(document, variable_values=variables)
    finally:
        PlainCompletionContext._compile = original  # type: ignore[method-assign]
    PlainCompletionContext.enabled = False
    try:
        stock = await cached_schema.execute(document, variable_values=variables)
    finally:
        PlainCompletionContext.enabled = True
    assert (result.data, result.errors) == (stock.data, stock.errors)
    return len(compiled), result.data


async def test_executions_of_one_parsed_document_share_its_plans() -> None:
    document = "{ branches { title leaves { name level shout } } first { title } }"
    first, _ = await _compiles(document)
    again, _ = await _compiles(document)
    assert first > 0
    assert again == 0


async def test_plans_are_not_shared_when_a_directive_reads_a_variable() -> None:
    document = "query($show: Boolean!) { branches { title leaves { name @include(if: $show) level } } }"
    shown_compiles, shown = await _compiles(document, {"show": True})
    hidden_compiles, hidden = await _compiles(document, {"show": False})
    assert shown["branches"][0]["leaves"][0].keys() == {"name", "level"}
    assert hidden["branches"][0]["leaves"][0].keys() == {"level"}
    assert shown_compiles > 0
    assert hidden_compiles > 0


@pytest.mark.parametrize(
    ("document", "reads"),
    [
        ("{ first { title @include(if: true) } }", False),
        ("query($x: Boolean!) { first { title @skip(if: $x) } }", True),
        ("query($x: Int!) { first { sized(n: $x) } }", False),  # a field argument, not a directive's
        ("query($x: Boolean!) { first { ...F } } fragment F on Branch { title @include(if: $x) }", True),
    ],
)
def test_directives_read_variables(document: str, reads: bool) -> None:
    parsed = parse(document)
    operations = [d for d in parsed.definitions if isinstance(d, OperationDefinitionNode)]
    fragments = [d for d in parsed.definitions if isinstance(d, FragmentDefinitionNode)]
    assert directives_read_variables(operations[0], fragments) is reads
