"""uploadFile: the same service as REST /upload."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated, Any

import strawberry
from strawberry.file_uploads import Upload

from multimed.auth.policy import Permission
from multimed.core.db import transaction
from multimed.core.errors import DomainError
from multimed.files import service as files_service
from multimed.graphql.context import Info
from multimed.graphql.errors import (
    FileTooLargeError,
    NotFoundError,
    UnsupportedFileTypeError,
    ValidationError,
    to_error,
)
from multimed.graphql.files.types import MedicalFileType
from multimed.graphql.jobs.types import JobType
from multimed.graphql.patients.types import PatientType
from multimed.graphql.permissions import needs

READ_BYTES = 1024 * 1024


@strawberry.input
class UploadFileInput:
    file: Upload
    patient_mrn: str
    logical_name: str | None = None


@strawberry.type
class UploadFileSuccess:
    file: MedicalFileType
    job: JobType
    patient: PatientType


UploadFileResult = Annotated[
    UploadFileSuccess | FileTooLargeError | UnsupportedFileTypeError | ValidationError | NotFoundError,
    strawberry.union("UploadFileResult"),
]


async def _chunks(upload: Any) -> AsyncIterator[bytes]:
    while chunk := await upload.read(READ_BYTES):
        yield chunk


@strawberry.type
class FileMutations:
    @strawberry.mutation(
        description="Upload a PDF, DICOM or audio file for a patient; starts its processing job.",
        extensions=needs(Permission.UPLOAD),
    )
    async def upload_file(self, info: Info, input: UploadFileInput) -> UploadFileResult:
        ctx = info.context
        runtime = ctx.runtime
        try:
            staged = await files_service.stage(
                store=runtime.blobs,
                source=_chunks(input.file),
                limit_for=lambda kind: runtime.settings.max_bytes_for(kind.value),
            )
        except DomainError as exc:
            runtime.metrics.uploads.labels(exc.code).inc()
            return to_error(exc)  # type: ignore[return-value]
        finally:
            # Starlette spools the part to a temporary file that nothing else closes.
            upload: Any = input.file
            await upload.close()
        try:
            async with transaction(runtime.sessions) as session:
                result = await files_service.record(
                    session=session,
                    staged=staged,
                    principal=ctx.user,
                    keyring=runtime.secrets.master,
                    patient_mrn=input.patient_mrn,
                    logical_name=input.logical_name,
                    original_filename=getattr(input.file, "filename", None),
                    request_id=ctx.request_id,
                )
        except BaseException as exc:
            await files_service.discard(store=runtime.blobs, staged=staged)
            if isinstance(exc, DomainError):
                runtime.metrics.uploads.labels(exc.code).inc()
                return to_error(exc)  # type: ignore[return-value]
            raise
        runtime.metrics.uploads.labels("ok").inc()
        await runtime.jobs.enqueue(result.job)  # only now: the job row is committed
        runtime.metrics.upload_bytes.labels(staged.sniffed.kind.value).inc(staged.blob.size)
        return UploadFileSuccess(
            file=MedicalFileType.from_model(result.file),
            job=JobType.from_model(result.job),
            patient=PatientType.from_model(result.patient),
        )
