"""The schema: domain query and mutation types merged, with limits, caches and error masking."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import strawberry
from graphql import ASTValidationRule, GraphQLError
from strawberry.extensions import ParserCache, SchemaExtension, ValidationCache
from strawberry.extensions.max_aliases import create_validator as alias_rule
from strawberry.extensions.query_depth_limiter import create_validator as depth_rule
from strawberry.tools import merge_types

from multimed.core.errors import DomainError
from multimed.graphql.audit.queries import AuditQueries
from multimed.graphql.cost import CostCache, QueryCostLimiter
from multimed.graphql.deid.queries import DeidQueries
from multimed.graphql.errors import ERROR_TYPES, DomainErrorCodes, MaskUnexpected
from multimed.graphql.files.queries import FileQueries
from multimed.graphql.files.types import MedicalFileType
from multimed.graphql.findings.types import FindingType
from multimed.graphql.jobs.subscriptions import JobSubscriptions
from multimed.graphql.jobs.types import JobType
from multimed.graphql.mutations.auth_login import AuthMutations
from multimed.graphql.mutations.file_upload import FileMutations
from multimed.graphql.mutations.job_cancel import JobMutations
from multimed.graphql.mutations.summarize import SummaryMutations
from multimed.graphql.mutations.user_create import UserMutations
from multimed.graphql.node import NodeQueries
from multimed.graphql.notifications.mutations import NotificationMutations
from multimed.graphql.notifications.queries import NotificationQueries
from multimed.graphql.notifications.subscriptions import NotificationSubscriptions
from multimed.graphql.patients.queries import PatientQueries
from multimed.graphql.patients.types import PatientType
from multimed.graphql.persisted import PACKAGED_MANIFEST, Manifest, PersistedMode, PersistedQueries
from multimed.graphql.plain_completion import PlainCompletionContext
from multimed.graphql.summaries.queries import SummaryQueries
from multimed.graphql.summaries.types import SummaryType
from multimed.graphql.users.queries import UserQueries
from multimed.graphql.users.types import UserType

log = logging.getLogger(__name__)

Query = merge_types(
    "Query",
    (
        UserQueries,
        NodeQueries,
        PatientQueries,
        FileQueries,
        SummaryQueries,
        AuditQueries,
        DeidQueries,
        NotificationQueries,
    ),
)
Mutation = merge_types(
    "Mutation",
    (AuthMutations, FileMutations, SummaryMutations, JobMutations, UserMutations, NotificationMutations),
)
Subscription = merge_types("Subscription", (JobSubscriptions, NotificationSubscriptions))


def _should_mask(error: GraphQLError) -> bool:
    """Mask everything but expected failures: domain errors, permission refusals, GraphQL validation."""
    original = error.original_error
    if original is None:
        return False
    return not isinstance(original, DomainError | GraphQLError)


class MultimedSchema(strawberry.Schema):
    def process_errors(self, errors: list[GraphQLError], execution_context: Any = None) -> None:
        """Log errors by type and path only: messages and tracebacks can quote patient data."""
        for error in errors:
            original = error.original_error
            if original is None or isinstance(original, DomainError | GraphQLError):
                continue
            log.error(
                "graphql resolver failed",
                exc_info=original,
                extra={"route": ".".join(str(p) for p in error.path or [])[:100]},
            )


class DocumentLimits(SchemaExtension):
    """Token, depth and alias limits in one extension whose rule classes are made once per schema.

    Strawberry's QueryDepthLimiter and MaxAliasesLimiter make a new rule class per instance, and an
    extension factory makes an instance per request: the validation cache, keyed by the rule classes, then
    never hit and every request validated its document again (measured: most of a constant query's time).
    """

    def __init__(self, max_tokens: int, rules: tuple[type[ASTValidationRule], ...]) -> None:
        self.max_tokens = max_tokens
        self.rules = rules

    def on_operation(self) -> Iterator[None]:
        context = self.execution_context
        context.parse_options["max_tokens"] = self.max_tokens
        context.validation_rules = (*context.validation_rules, *self.rules)
        yield


def build_schema(
    *,
    max_depth: int = 12,
    max_aliases: int = 30,
    max_tokens: int = 4000,
    max_cost: int = 5000,
    persisted_queries: PersistedMode = "allow",
    persisted_manifest: Path | None = None,
) -> strawberry.Schema:
    """The schema with its protective extensions."""
    manifest = Manifest(persisted_manifest or PACKAGED_MANIFEST)
    # The caches are shared by all requests on purpose: that is what makes them caches.
    parser_cache, validation_cache = ParserCache(maxsize=256), ValidationCache(maxsize=256)
    cost_cache = CostCache()
    rules = (depth_rule(max_depth, None), alias_rule(max_aliases))
    return MultimedSchema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        types=[PatientType, MedicalFileType, JobType, UserType, SummaryType, FindingType, *ERROR_TYPES],
        execution_context_class=PlainCompletionContext,
        extensions=[
            lambda: DocumentLimits(max_tokens, rules),
            lambda: parser_cache,
            lambda: validation_cache,
            # After the validation cache, whose verdict they replace: a hash becomes its query text (or the
            # request is refused), then valid documents are priced; both before anything executes.
            lambda: PersistedQueries(mode=persisted_queries, manifest=manifest),
            lambda: QueryCostLimiter(max_cost=max_cost, cache=cost_cache),
            DomainErrorCodes,
            lambda: MaskUnexpected(should_mask_error=_should_mask, error_message="Unexpected error."),
        ],
    )


schema = build_schema()
