"""MedicalFile."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from multimed.files import service as files_service
from multimed.files.models import FileKind, FileStatus, MedicalFile
from multimed.graphql.context import Info
from multimed.graphql.deid.types import Deidentification
from multimed.graphql.files.dicom_types import DicomInfo
from multimed.graphql.jobs.types import JobType
from multimed.graphql.relay import Node, to_global_id
from multimed.graphql.users.types import UserType
from multimed.patients import service as patients_service

if TYPE_CHECKING:
    from multimed.graphql.findings.types import FindingType
    from multimed.graphql.patients.types import PatientType

FileKindEnum = strawberry.enum(FileKind, name="FileKind")
FileStatusEnum = strawberry.enum(FileStatus, name="FileStatus")


@strawberry.type(name="MedicalFile")
class MedicalFileType(Node):
    id: strawberry.ID
    kind: FileKindEnum  # type: ignore[valid-type]
    display_name: str
    content_type: str
    size_bytes: float  # may exceed GraphQL's 32-bit Int
    sha256: str
    version: int
    uploaded_at: datetime
    status: FileStatusEnum  # type: ignore[valid-type]
    _model: strawberry.Private[MedicalFile]

    @strawberry.field(description="Every version of this logical file, oldest first.")
    async def versions(self, info: Info) -> list[MedicalFileType]:
        rows = await files_service.versions(session=await info.context.session(), file=self._model)
        return [MedicalFileType.from_model(row) for row in rows]

    @strawberry.field
    async def uploaded_by(self, info: Info) -> UserType | None:
        user = await info.context.user_by_id.load(self._model.uploaded_by)
        return UserType.from_model(user) if user else None

    @strawberry.field(description="What de-identification did to this version (null until it has run).")
    async def deidentification(self, info: Info) -> Deidentification | None:
        report = await info.context.deid_report_by_file_id.load(self._model.id)
        return Deidentification.from_model(report) if report else None

    @strawberry.field(description="The de-identified extracted text (null until extraction has run).")
    async def text(self, info: Info) -> str | None:
        row = await info.context.text_by_file_id.load(self._model.id)
        return row.text if row else None

    @strawberry.field(
        description="DICOM metadata, pixel statistics and preview (DICOM files, once processed)."
    )
    async def dicom(self, info: Info) -> DicomInfo | None:
        row = await info.context.dicom_by_file_id.load(self._model.id)
        return DicomInfo.from_model(row) if row else None

    @strawberry.field(description="What analysis found in this version, in text order.")
    async def findings(
        self, info: Info
    ) -> list[Annotated[FindingType, strawberry.lazy("multimed.graphql.findings.types")]]:
        from multimed.graphql.findings.types import FindingType

        rows = await info.context.findings_by_file_id.load(self._model.id)
        return [FindingType.from_model(f) for f in rows]

    @strawberry.field(description="The file's processing job.")
    async def job(self, info: Info) -> JobType | None:
        job = await info.context.job_by_file_id.load(self._model.id)
        return JobType.from_model(job) if job else None

    @strawberry.field
    async def patient(
        self, info: Info
    ) -> Annotated[PatientType, strawberry.lazy("multimed.graphql.patients.types")]:
        from multimed.graphql.patients.types import PatientType

        patient = await patients_service.get_or_raise(
            session=await info.context.session(),
            organization_id=self._model.organization_id,
            patient_id=self._model.patient_id,
        )
        return PatientType.from_model(patient)

    @classmethod
    def from_model(cls, file: MedicalFile) -> MedicalFileType:
        return cls(
            id=to_global_id("MedicalFile", file.id),
            kind=FileKind(file.kind),
            display_name=files_service.display_name(file),
            content_type=file.content_type,
            size_bytes=float(file.size_bytes),
            sha256=file.sha256,
            version=file.version,
            uploaded_at=file.uploaded_at,
            status=FileStatus(file.status),
            _model=file,
        )
