"""file, job."""

from __future__ import annotations

import strawberry

from multimed.auth.policy import Permission
from multimed.files import service as files_service
from multimed.graphql.context import Info
from multimed.graphql.files.types import MedicalFileType
from multimed.graphql.jobs.types import JobType
from multimed.graphql.permissions import needs
from multimed.graphql.relay import uuid_of
from multimed.jobs import service as jobs_service


@strawberry.type
class FileQueries:
    @strawberry.field(extensions=needs(Permission.READ_FILES))
    async def file(self, info: Info, id: strawberry.ID) -> MedicalFileType | None:
        ctx = info.context
        file = await files_service.get(
            session=await ctx.session(),
            organization_id=ctx.user.organization_id,
            file_id=uuid_of(id, "MedicalFile"),
        )
        return MedicalFileType.from_model(file) if file else None

    @strawberry.field(extensions=needs(Permission.READ_FILES))
    async def job(self, info: Info, id: strawberry.ID) -> JobType | None:
        ctx = info.context
        job = await jobs_service.get(
            session=await ctx.session(), organization_id=ctx.user.organization_id, job_id=uuid_of(id, "Job")
        )
        return JobType.from_model(job) if job else None
