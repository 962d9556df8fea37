"""Which GraphQL documents may be answered from the response cache: reads of immutable rows only.

A whole response can be reused only while nothing it shows can change without the organization's cache
generation moving. Summaries and findings are immutable (database triggers refuse UPDATE) and every write
of one bumps the generation, so a query that selects only them, their sections, statements and citations
is safe. A selection reaching a file, a job or a patient (whose status, versions and counts change without
a bump) is not cacheable and runs normally; it still has the page cache for its root list.
"""

from __future__ import annotations

from functools import lru_cache

from graphql import (
    BREAK,
    FieldNode,
    GraphQLError,
    GraphQLSchema,
    OperationDefinitionNode,
    OperationType,
    TypeInfo,
    TypeInfoVisitor,
    Visitor,
    get_named_type,
    is_composite_type,
    parse,
    visit,
)

# Root fields whose answers only summaries and findings writes can change.
ROOT_FIELDS = frozenset({"summary", "summaries", "findings"})
# Object types whose every field is immutable once written (or derived from immutable rows).
IMMUTABLE_TYPES = frozenset(
    {
        "Summary",
        "SummarySection",
        "Statement",
        "SummaryConnection",
        "SummaryEdge",
        "Finding",
        "FindingConnection",
        "FindingEdge",
        "Citation",
        "PageInfo",
    }
)


class _ImmutableSelections(Visitor):
    def __init__(self, type_info: TypeInfo, query_type: str) -> None:
        super().__init__()
        self.type_info = type_info
        self.query_type = query_type
        self.cacheable = True

    def enter_field(self, node: FieldNode, *_: object) -> object:
        name = node.name.value
        parent = self.type_info.get_parent_type()
        if name == "__typename":
            return None
        parent_name = get_named_type(parent).name if parent is not None else None
        returned = get_named_type(self.type_info.get_type())
        if parent_name == self.query_type:
            allowed = name in ROOT_FIELDS
        else:
            allowed = parent_name in IMMUTABLE_TYPES and not name.startswith("__")
        # A field leading to a mutable object (Citation.file) is refused even if only its __typename is
        # selected: whether it is null can change.
        if is_composite_type(returned) and returned.name not in IMMUTABLE_TYPES:
            allowed = False
        if not allowed or self.type_info.get_field_def() is None:
            self.cacheable = False
            return BREAK
        return None


def reads_only_immutable(
    schema: GraphQLSchema, text: str, operation_name: str | None, *, max_tokens: int
) -> bool:
    """True when the document is one query (or names one) whose every selected field is immutable.

    Conservative: a document that does not parse, holds a mutation or subscription anywhere, or selects any
    field outside IMMUTABLE_TYPES is not cacheable (it then runs through Strawberry, which reports errors).
    """
    try:
        document = parse(text, max_tokens=max_tokens)
    except GraphQLError:
        return False
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if not operations or any(op.operation is not OperationType.QUERY for op in operations):
        return False
    if operation_name is None and len(operations) != 1:
        return False
    if operation_name is not None and not any(
        op.name is not None and op.name.value == operation_name for op in operations
    ):
        return False
    query_type = schema.query_type
    if query_type is None:
        return False
    type_info = TypeInfo(schema)
    visitor = _ImmutableSelections(type_info, query_type.name)
    visit(document, TypeInfoVisitor(type_info, visitor))
    return visitor.cacheable


class CacheableDocuments:
    """reads_only_immutable, remembered per (text, operation name) in a bounded LRU."""

    def __init__(self, schema: GraphQLSchema, *, max_tokens: int, maxsize: int = 512) -> None:
        self._schema = schema
        self._max_tokens = max_tokens
        self._check = lru_cache(maxsize=maxsize)(self._uncached)

    def _uncached(self, text: str, operation_name: str | None) -> bool:
        return reads_only_immutable(self._schema, text, operation_name, max_tokens=self._max_tokens)

    def __call__(self, text: str, operation_name: str | None) -> bool:
        return self._check(text, operation_name)
