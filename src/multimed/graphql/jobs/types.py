"""Job."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from multimed.files import service as files_service
from multimed.graphql.context import Info
from multimed.graphql.relay import Node, to_global_id
from multimed.jobs.models import Job, JobKind, JobStage, JobStatus

if TYPE_CHECKING:
    from multimed.graphql.files.types import MedicalFileType
    from multimed.graphql.summaries.types import SummaryType

JobStatusEnum = strawberry.enum(JobStatus, name="JobStatus")
JobStageEnum = strawberry.enum(JobStage, name="JobStage")
JobKindEnum = strawberry.enum(JobKind, name="JobKind")


@strawberry.type(name="JobError")
class JobErrorType:
    code: str
    message: str


@strawberry.type(name="Job")
class JobType(Node):
    id: strawberry.ID
    kind: JobKindEnum  # type: ignore[valid-type]
    status: JobStatusEnum  # type: ignore[valid-type]
    stage: JobStageEnum | None  # type: ignore[valid-type]
    progress: float
    error: JobErrorType | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    _model: strawberry.Private[Job]

    @strawberry.field
    async def file(
        self, info: Info
    ) -> Annotated[MedicalFileType, strawberry.lazy("multimed.graphql.files.types")] | None:
        from multimed.graphql.files.types import MedicalFileType

        if self._model.file_id is None:
            return None
        file = await files_service.get(
            session=await info.context.session(),
            organization_id=info.context.user.organization_id,
            file_id=self._model.file_id,
        )
        return MedicalFileType.from_model(file) if file else None

    @strawberry.field(description="The summary a SUMMARIZE job wrote (null until it succeeded).")
    async def summary(
        self, info: Info
    ) -> Annotated[SummaryType, strawberry.lazy("multimed.graphql.summaries.types")] | None:
        from multimed.graphql.summaries.types import SummaryType

        summary = await info.context.summary_by_job_id.load(self._model.id)
        return SummaryType.from_model(summary) if summary else None

    @classmethod
    def from_model(cls, job: Job) -> JobType:
        error = JobErrorType(code=job.error_code, message=job.error_message or "") if job.error_code else None
        return cls(
            id=to_global_id("Job", job.id),
            kind=JobKind(job.kind),
            status=JobStatus(job.status),
            stage=JobStage(job.stage) if job.stage else None,
            progress=job.progress,
            error=error,
            created_at=job.created_at,
            started_at=job.started_at,
            finished_at=job.finished_at,
            _model=job,
        )
