"""cancelJob: stop a queued or running job."""

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
from multimed.jobs import events
from multimed.jobs import service as jobs_service


@strawberry.type
class CancelJobSuccess:
    job: JobType


CancelJobResult = Annotated[
    CancelJobSuccess | NotFoundError | ValidationError, strawberry.union("CancelJobResult")
]


@strawberry.type
class JobMutations:
    @strawberry.mutation(
        description="Cancel a QUEUED or RUNNING job; a running one stops before its next stage.",
        extensions=needs(Permission.SUMMARIZE),
    )
    async def cancel_job(self, info: Info, id: strawberry.ID) -> CancelJobResult:
        ctx = info.context
        try:
            key = uuid_of(id, "Job")
            async with transaction(ctx.runtime.sessions) as session:
                job = await jobs_service.cancel(
                    session=session, organization_id=ctx.user.organization_id, job_id=key
                )
        except DomainError as exc:
            return to_error(exc)  # type: ignore[return-value]
        ctx.runtime.jobs.cancel(job.id)
        await ctx.runtime.events.publish(events.channel(job.id), events.job_event(job, "cancelled"))
        return CancelJobSuccess(job=JobType.from_model(job))
