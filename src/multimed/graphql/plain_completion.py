"""Plain subtrees completed without graphql-core's per-field machinery.

graphql-core resolves every field of a result the same way: it builds a Info, calls the
resolver through Strawberry's wrapper, checks whether the result is awaitable, then completes it. A page of
20 summaries with their sections and statements is about 150 such fields, and that machinery was most of an
uncached page's CPU (cProfile: ~10 µs a field, the SQL round trip included in the rest).

Most of those fields are *plain*: a Strawberry field without a resolver (an attribute read), or a synchronous
resolver method that takes only `self` — no arguments, no `info`, no field extensions (permissions). When
every field a selection asks of an object type is plain, this execution context completes the object
directly from a plan compiled once per selection (and shared by the executions of the same parsed document,
see plan_sharing.py): read each attribute, serialize leaves with
their type's own `serialize`, recurse into lists and objects. Same keys, same order, same values.

Anything the plan does not cover goes through graphql-core unchanged:
- a selection with a non-plain field (async resolvers, DataLoaders, arguments, permissions), an abstract type
  (interface or union), `@defer`, or field middleware;
- any surprise at run time: a null where the schema says non-null, a value a leaf type will not serialize,
  a non-list for a list, `is_type_of` saying no, or an exception from a resolver. The whole object is then
  completed again by graphql-core, which reports the error with its path exactly as it would have. Plain
  resolvers are pure (they read the object they belong to), so running one twice changes nothing.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any, ClassVar

from graphql import (
    ExecutionResult,
    GraphQLBoolean,
    GraphQLEnumType,
    GraphQLField,
    GraphQLID,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLResolveInfo,
    GraphQLScalarType,
    GraphQLString,
    Undefined,
)
from graphql.execution.collect_fields import FieldDetails
from graphql.pyutils import Path
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.schema.schema_converter import GraphQLCoreConverter
from strawberry.types.field import StrawberryField

from multimed.graphql.plan_sharing import SharedPlans

Info = GraphQLResolveInfo[Any]  # only passed on, to is_type_of
Complete = Callable[[Any, Info], Any]
FieldDetailsList = list[FieldDetails]


class _Surprise(Exception):
    """Raised inside a plan: hand the whole object back to graphql-core."""


_SURPRISE = _Surprise()


def _attribute_reader(field: GraphQLField) -> Callable[[Any], Any] | None:
    """How to read a plain field from its parent object, or None when the field is not plain."""
    definition = field.extensions.get(GraphQLCoreConverter.DEFINITION_BACKREF)
    if not isinstance(definition, StrawberryField) or definition.extensions or field.args:
        return None
    resolver = definition.base_resolver
    if resolver is None:
        read, name = definition.default_resolver, definition.python_name
        return lambda source: read(source, name)
    if (
        resolver.is_async
        or resolver.arguments
        or resolver.info_parameter is not None
        or resolver.root_parameter is not None
        or resolver.parent_parameter is not None
        or resolver.self_parameter is None
    ):
        return None
    return lambda source: resolver(source)


class _Plan:
    """How to complete one object type for one selection: (response key, read, complete) per field."""

    __slots__ = ("fields", "is_type_of", "type_name")

    def __init__(
        self, object_type: GraphQLObjectType, fields: list[tuple[str, Callable[[Any], Any] | None, Complete]]
    ) -> None:
        self.fields = fields
        self.type_name = object_type.name
        self.is_type_of = object_type.is_type_of

    def run(self, source: Any, info: Info) -> dict[str, Any]:
        if self.is_type_of is not None and not self.is_type_of(source, info):
            raise _SURPRISE
        result: dict[str, Any] = {}
        for key, read, complete in self.fields:
            result[key] = self.type_name if read is None else complete(read(source), info)
        return result


def _leaf(serialize: Callable[[Any], Any], itself: type | None = None) -> Complete:
    """A scalar or enum; values of exactly type `itself` serialize to themselves (graphql-core's String,
    ID and Boolean return a str or bool as it is), so they skip the call."""

    def complete(value: Any, info: Info) -> Any:
        if type(value) is itself:
            return value
        if value is None:
            return None
        if isinstance(value, Exception):
            raise _SURPRISE
        serialized = serialize(value)
        if serialized is None or serialized is Undefined:
            raise _SURPRISE
        return serialized

    return complete


# graphql-core's own scalars whose serialize returns a value of this exact type unchanged.
_SERIALIZED_AS_ITSELF: dict[GraphQLScalarType, type] = {
    GraphQLString: str,
    GraphQLID: str,
    GraphQLBoolean: bool,
}


def _non_null(inner: Complete) -> Complete:
    def complete(value: Any, info: Info) -> Any:
        if value is None:
            raise _SURPRISE
        return inner(value, info)

    return complete


def _list(item: Complete) -> Complete:
    def complete(value: Any, info: Info) -> Any:
        if value is None:
            return None
        if not isinstance(value, list | tuple):
            raise _SURPRISE
        return [item(v, info) for v in value]

    return complete


def _object(plan: _Plan) -> Complete:
    def complete(value: Any, info: Info) -> Any:
        return None if value is None else plan.run(value, info)

    return complete


_SHARED: SharedPlans[_Plan | None] = SharedPlans()


class PlainCompletionContext(StrawberryGraphQLCoreExecutionContext):
    """Strawberry's execution context with plain subtrees completed from compiled plans (module docstring)."""

    enabled: ClassVar[bool] = True  # False: every object through graphql-core (the tests compare the two)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # By (object type, id of the field details list): graphql-core memoizes collected subfields the same
        # way, and keeps those lists alive for the whole execution, so an id is not reused.
        self._plans: dict[tuple[GraphQLObjectType, int], _Plan | None] = {}
        self._shared: bool | None = None  # whether this document's plans are shared (plan_sharing.py)
        # Strawberry always passes a manager; it wraps resolvers only when an extension has `resolve`.
        manager = self.middleware_manager
        self._plain_allowed = self.enabled and (manager is None or not manager.middlewares)

    def complete_object_value(
        self,
        return_type: GraphQLObjectType,
        field_details_list: FieldDetailsList,
        info: Info,
        path: Path,
        result: Any,
        position_context: Any,
    ) -> Any:
        plan = self._plan(return_type, field_details_list) if self._plain_allowed else None
        if plan is not None:
            with contextlib.suppress(Exception):  # else graphql-core completes it, reporting any error
                return plan.run(result, info)
        return super().complete_object_value(
            return_type, field_details_list, info, path, result, position_context
        )

    def build_response(self, data: dict[str, Any] | None) -> Any:
        """The result; then, when nothing is left to stream, the execution's memos are dropped.

        graphql-core's executor refers to itself (its resolve-info helpers hold its bound methods), so it is
        freed only by the cycle collector, together with everything it still holds: per request, hundreds
        of collected field sets and plans. Left to pile up, they made each full collection stall the event
        loop for 50-600 ms under load. Emptied here, the cycle that remains is a handful of objects.
        """
        response = super().build_response(data)
        if isinstance(response, ExecutionResult):  # not an incremental (@defer) delivery still running
            self._plans.clear()
            self._relevant_sub_fields.clear()
            self.async_helpers = None  # type: ignore[assignment]  # the self-reference
        return response

    def _plan(self, object_type: GraphQLObjectType, field_details_list: FieldDetailsList) -> _Plan | None:
        key = (object_type, id(field_details_list))
        if key in self._plans:
            return self._plans[key]
        if self._shared is None:
            fragments = self.fragments.values()
            self._shared = not any(f.variable_signatures for f in fragments) and _SHARED.shareable(
                self.operation, [f.definition for f in fragments]
            )
        nodes = tuple(details.node for details in field_details_list)
        found, plan = _SHARED.get(object_type, nodes) if self._shared else (False, None)
        if not found:
            plan = self._compile(object_type, field_details_list)
            if self._shared:
                _SHARED.put(object_type, nodes, plan)
        self._plans[key] = plan
        return plan

    def _compile(self, object_type: GraphQLObjectType, field_details_list: FieldDetailsList) -> _Plan | None:
        grouped, defer_usages, _ = self.collect_subfields(object_type, field_details_list)
        if defer_usages:
            return None
        fields: list[tuple[str, Callable[[Any], Any] | None, Complete]] = []
        for response_key, details in grouped.items():
            first = details[0]
            if first.defer_usage is not None or first.fragment_variable_values is not None:
                return None
            name = first.node.name.value
            if name == "__typename":
                fields.append((response_key, None, _leaf(str)))
                continue
            if first.node.arguments:
                return None
            field = self.schema.get_field(object_type, name)
            if field is None:
                return None
            read = _attribute_reader(field)
            complete = self._completer(field.type, details) if read is not None else None
            if read is None or complete is None:
                return None
            fields.append((response_key, read, complete))
        return _Plan(object_type, fields)

    def _completer(self, output: GraphQLOutputType, details: FieldDetailsList) -> Complete | None:
        if isinstance(output, GraphQLNonNull):
            inner = self._completer(output.of_type, details)
            return None if inner is None else _non_null(inner)
        if isinstance(output, GraphQLList):
            item = self._completer(output.of_type, details)
            return None if item is None else _list(item)
        if isinstance(output, GraphQLScalarType):
            return _leaf(output.serialize, _SERIALIZED_AS_ITSELF.get(output))
        if isinstance(output, GraphQLEnumType):
            return _leaf(output.serialize)
        if isinstance(output, GraphQLObjectType):
            plan = self._plan(output, details)
            return None if plan is None else _object(plan)
        return None  # interfaces and unions: graphql-core resolves the concrete type
