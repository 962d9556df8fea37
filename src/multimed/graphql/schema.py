"""The schema: domain query and mutation types merged, with limits, caches and error masking."""

from __future__ import annotations

from collections.abc import Iterator

import strawberry
from graphql import GraphQLError
from strawberry.extensions import (
    MaskErrors,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    SchemaExtension,
    ValidationCache,
)
from strawberry.tools import merge_types

from multimed.core.errors import DomainError
from multimed.graphql.audit.queries import AuditQueries
from multimed.graphql.errors import ERROR_TYPES
from multimed.graphql.files.queries import FileQueries
from multimed.graphql.files.types import MedicalFileType
from multimed.graphql.jobs.types import JobType
from multimed.graphql.mutations.auth_login import AuthMutations
from multimed.graphql.mutations.file_upload import FileMutations
from multimed.graphql.mutations.user_create import UserMutations
from multimed.graphql.node import NodeQueries
from multimed.graphql.patients.queries import PatientQueries
from multimed.graphql.patients.types import PatientType
from multimed.graphql.users.queries import UserQueries
from multimed.graphql.users.types import UserType

Query = merge_types("Query", (UserQueries, NodeQueries, PatientQueries, FileQueries, AuditQueries))
Mutation = merge_types("Mutation", (AuthMutations, FileMutations, UserMutations))


def _should_mask(error: GraphQLError) -> bool:
    """Mask everything but expected domain failures and GraphQL's own validation errors."""
    original = error.original_error
    if original is None:
        return False
    return not isinstance(original, DomainError)


def _domain_error_extensions(error: GraphQLError) -> None:
    original = error.original_error
    if isinstance(original, DomainError):
        error.extensions = {**(error.extensions or {}), "code": original.code.upper()}


class DomainErrorCodes(SchemaExtension):
    """Adds the stable code of a domain error to its GraphQL error."""

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        errors = getattr(result, "errors", None) or []
        for error in errors:
            _domain_error_extensions(error)


def build_schema(*, max_depth: int = 12, max_aliases: int = 30, max_tokens: int = 4000) -> strawberry.Schema:
    """The schema with its protective extensions."""
    # The caches are shared by all requests on purpose: that is what makes them caches.
    parser_cache, validation_cache = ParserCache(maxsize=256), ValidationCache(maxsize=256)
    return strawberry.Schema(
        query=Query,
        mutation=Mutation,
        types=[PatientType, MedicalFileType, JobType, UserType, *ERROR_TYPES],
        extensions=[
            lambda: QueryDepthLimiter(max_depth=max_depth),
            lambda: MaxAliasesLimiter(max_alias_count=max_aliases),
            lambda: MaxTokensLimiter(max_token_count=max_tokens),
            lambda: parser_cache,
            lambda: validation_cache,
            DomainErrorCodes,
            lambda: MaskErrors(should_mask_error=_should_mask, error_message="Unexpected error."),
        ],
    )


schema = build_schema()
