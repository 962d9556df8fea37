"""Query cost: a static price for an operation, checked after validation and before anything executes.

The depth, alias and token limits bound the size of a document, not the work it asks for: a query four levels
deep can still ask for 100 patients, 100 files each, and their text. The cost model prices that work from the
document and its variables alone, so a refused query reads nothing and writes nothing (no resolver runs, no
audit row):

- every field costs 1; leaves (scalars and enums, `__typename`) cost 0, except an operation's root fields
  (`markNotificationsRead: Int!` still does work);
- `FIELD_COSTS` overrides expensive fields (`MedicalFile.text` 5, `Query.anonymizeText` 20, …);
- a connection field (its type is a `…Connection`) adds its page size (`first`, default 20, read from the
  variables when it is one) times the cost of everything selected beneath it;
- any other list field adds a small constant (`LIST_SIZE`, 5, or its entry in `LIST_SIZES`) times the cost
  beneath it; the `edges` list of a connection is already counted by the page size;
- fragment spreads and inline fragments are counted where they are used; every type condition counts
  (an upper bound: one object matches one branch of a union);
- `@skip`/`@include` are ignored (the price is what the document could ask for).

`MULTIMED_GRAPHQL_MAX_COST` (default 5000) is the limit; above it the operation is refused with
`QUERY_TOO_EXPENSIVE`, its computed cost and the limit in the error's extensions.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable, Iterator, Mapping
from types import MappingProxyType
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    VariableNode,
    get_named_type,
    get_nullable_type,
    is_list_type,
)
from graphql.type.introspection import SchemaMetaFieldDef, TypeMetaFieldDef
from graphql.utilities import get_operation_ast
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import validate_document

from multimed.graphql.pagination import DEFAULT_PAGE

# Fields that do more than read a row: rendering, long texts, the PHI detector, starting jobs.
FIELD_COSTS: Mapping[str, int] = MappingProxyType(
    {
        "Summary.html": 2,
        "Summary.text": 2,
        "MedicalFile.text": 5,
        "Query.anonymizeText": 20,
        "Mutation.uploadFile": 10,
        "Mutation.summarize": 10,
    }
)
LIST_SIZE = 5
LIST_SIZES: Mapping[str, int] = MappingProxyType({})
CODE = "QUERY_TOO_EXPENSIVE"


def _is_connection(type_: GraphQLNamedType) -> bool:
    return (
        isinstance(type_, GraphQLObjectType) and type_.name.endswith("Connection") and "edges" in type_.fields
    )


def _field_def(schema: GraphQLSchema, parent: GraphQLNamedType, name: str) -> GraphQLField | None:
    if name == "__schema" and parent is schema.query_type:
        return SchemaMetaFieldDef
    if name == "__type" and parent is schema.query_type:
        return TypeMetaFieldDef
    if isinstance(parent, GraphQLObjectType | GraphQLInterfaceType):
        field: GraphQLField | None = parent.fields.get(name)
        return field
    return None


class _Pricer:
    """Walks one operation; fragments are priced where they are spread."""

    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: Mapping[str, FragmentDefinitionNode],
        variables: Mapping[str, object],
    ) -> None:
        self.schema = schema
        self.fragments = fragments
        self.variables = variables
        self.roots = {schema.query_type, schema.mutation_type, schema.subscription_type} - {None}

    def selections(self, parent: GraphQLNamedType, selection_set: SelectionSetNode) -> int:
        total = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                total += self.field(parent, selection)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                target = self.schema.get_type(condition.name.value) if condition else parent
                total += self.selections(target or parent, selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                fragment = self.fragments.get(selection.name.value)
                if fragment is not None:
                    target = self.schema.get_type(fragment.type_condition.name.value)
                    total += self.selections(target or parent, fragment.selection_set)
        return total

    def field(self, parent: GraphQLNamedType, node: FieldNode) -> int:
        name = node.name.value
        definition = _field_def(self.schema, parent, name)
        if definition is None:  # __typename, or a field validation would have refused
            return 0
        key = f"{parent.name}.{name}"
        if node.selection_set is None:  # a leaf reads nothing more, unless it is an operation's root field
            return FIELD_COSTS.get(key, 1 if parent in self.roots else 0)
        named = get_named_type(definition.type)
        if _is_connection(named):
            multiplier = self.page_size(node)
        elif is_list_type(get_nullable_type(definition.type)) and not _is_connection(parent):
            multiplier = LIST_SIZES.get(key, LIST_SIZE)
        else:
            multiplier = 1
        return FIELD_COSTS.get(key, 1) + multiplier * self.selections(named, node.selection_set)

    def page_size(self, node: FieldNode) -> int:
        """`first` as given (literal or variable), else the default page; the resolver checks the range."""
        for argument in node.arguments or ():
            if argument.name.value != "first":
                continue
            value: object = None
            if isinstance(argument.value, IntValueNode):
                value = int(argument.value.value)
            elif isinstance(argument.value, VariableNode):
                value = self.variables.get(argument.value.name.value)
            if isinstance(value, int) and not isinstance(value, bool):
                return max(value, 0)
        return DEFAULT_PAGE


def _variables(operation: OperationDefinitionNode, given: Mapping[str, object] | None) -> dict[str, object]:
    """The request's variables over the operation's literal defaults."""
    values: dict[str, object] = {}
    for definition in operation.variable_definitions or ():
        default = definition.default_value
        if isinstance(default, IntValueNode):
            values[definition.variable.name.value] = int(default.value)
    values.update(given or {})
    return values


def operation_cost(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation_name: str | None = None,
    variables: Mapping[str, object] | None = None,
) -> int:
    """The price of the operation the request runs (0 when the document does not say which)."""
    operation = get_operation_ast(document, operation_name)
    if operation is None:
        return 0
    root = {
        OperationType.QUERY: schema.query_type,
        OperationType.MUTATION: schema.mutation_type,
        OperationType.SUBSCRIPTION: schema.subscription_type,
    }[operation.operation]
    if root is None:
        return 0
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    pricer = _Pricer(schema, fragments, _variables(operation, variables))
    return pricer.selections(root, operation.selection_set)


def too_expensive(cost: int, limit: int) -> GraphQLError:
    """The refusal: says how far over the limit the query is, so a client can shrink its pages."""
    return GraphQLError(
        f"Query cost {cost} exceeds the limit of {limit}: ask for smaller pages (first) or fewer lists.",
        extensions={"code": CODE, "cost": cost, "limit": limit},
    )


class CostCache:
    """Prices by (query text, operation, integer variables): a dashboard repeats a few operations.

    Pricing walks the document (about 50 µs for a summary with its citations); a hit is a dict lookup.
    Shared by every request of a schema, like the parser and validation caches; bounded, oldest out first.
    """

    def __init__(self, maxsize: int = 512) -> None:
        self.maxsize = maxsize
        self._entries: OrderedDict[Hashable, int] = OrderedDict()

    def cost(
        self,
        schema: GraphQLSchema,
        document: DocumentNode,
        query: str | None,
        operation_name: str | None,
        variables: Mapping[str, object] | None,
    ) -> int:
        if query is None:
            return operation_cost(schema, document, operation_name, variables)
        ints = tuple(
            sorted(
                (k, v) for k, v in (variables or {}).items() if isinstance(v, int) and not isinstance(v, bool)
            )
        )
        key = (query, operation_name, ints)
        cached = self._entries.get(key)
        if cached is not None:
            self._entries.move_to_end(key)
            return cached
        cost = operation_cost(schema, document, operation_name, variables)
        self._entries[key] = cost
        if len(self._entries) > self.maxsize:
            self._entries.popitem(last=False)
        return cost


class QueryCostLimiter(SchemaExtension):
    """Refuses an operation whose cost is over the limit, between validation and execution.

    Runs after the validation cache in the extension list: its `on_validate` sees the validation result and
    adds the refusal there, which Strawberry returns before executing (queries, mutations, subscriptions).
    """

    def __init__(self, *, max_cost: int, cache: CostCache | None = None) -> None:
        super().__init__()
        self.max_cost = max_cost
        self.cache = cache or CostCache()

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        document = context.graphql_document
        if document is not None and context.pre_execution_errors is None:
            context.pre_execution_errors = validate_document(
                context.schema._schema, document, context.validation_rules
            )
        if document is not None and not context.pre_execution_errors:
            variables: Any = context.variables
            cost = self.cache.cost(
                context.schema._schema, document, context.query, context.operation_name, variables
            )
            if cost > self.max_cost:
                context.pre_execution_errors = [too_expensive(cost, self.max_cost)]
        yield
