"""summarize: queue a patient's summary job (it waits for the files it covers)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from multimed.auth.policy import Permission
from multimed.core.db import transaction
from multimed.core.errors import DomainError
from multimed.graphql.context import Info
from multimed.graphql.errors import NotFoundError, ValidationError, to_error
from multimed.graphql.jobs.types import JobType
from multimed.graphql.permissions import needs
from multimed.graphql.relay import uuid_of
from multimed.summaries.requests import request_summary


@strawberry.input
class SummarizeInput:
    patient_token: str
    file_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Default: the latest version of every file of the patient."
    )


@strawberry.type
class SummarizeSuccess:
    job: JobType


SummarizeResult = Annotated[
    SummarizeSuccess | ValidationError | NotFoundError, strawberry.union("SummarizeResult")
]


@strawberry.type
class SummaryMutations:
    @strawberry.mutation(
        description="Summarize a patient's files; returns the queued SUMMARIZE job.",
        extensions=needs(Permission.SUMMARIZE),
    )
    async def summarize(self, info: Info, input: SummarizeInput) -> SummarizeResult:
        ctx = info.context
        try:
            file_ids = [uuid_of(i, "MedicalFile") for i in input.file_ids or []]
            async with transaction(ctx.runtime.sessions) as session:
                job = await request_summary(
                    session=session,
                    principal=ctx.user,
                    patient_token=input.patient_token,
                    file_ids=file_ids,
                    request_id=ctx.request_id,
                )
        except DomainError as exc:
            return to_error(exc)  # type: ignore[return-value]
        await ctx.runtime.jobs.enqueue(job)
        return SummarizeSuccess(job=JobType.from_model(job))
