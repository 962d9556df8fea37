"""Patient."""

from __future__ import annotations

from datetime import datetime

import strawberry

from multimed.core.pagination import Cursor
from multimed.files import service as files_service
from multimed.files.models import MedicalFile
from multimed.findings import service as findings_service
from multimed.graphql.cached_lists import cached_page
from multimed.graphql.context import Info
from multimed.graphql.files.types import MedicalFileType
from multimed.graphql.findings.types import FindingType, finding_cursor
from multimed.graphql.pagination import page_size
from multimed.graphql.relay import Connection, Node, page_connection, to_global_id
from multimed.graphql.summaries.types import SummaryType, summary_cursor
from multimed.patients.models import Patient
from multimed.summaries import service as summaries_service
from multimed.summaries.models import Summary


@strawberry.type(name="Patient")
class PatientType(Node):
    id: strawberry.ID
    token: str
    created_at: datetime
    _model: strawberry.Private[Patient]

    @strawberry.field(description="The patient's files, newest first; latestOnly keeps one version per file.")
    async def files(
        self, info: Info, first: int | None = None, after: str | None = None, latest_only: bool = False
    ) -> Connection[MedicalFileType]:
        page = await files_service.list_for_patient(
            session=await info.context.session(),
            organization_id=info.context.user.organization_id,
            patient_id=self._model.id,
            first=page_size(info, first),
            after=after,
            latest_only=latest_only,
        )
        return page_connection(page, encode=MedicalFileType.from_model, key=file_cursor)

    @strawberry.field(description="The patient's summaries, newest first.")
    async def summaries(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[SummaryType]:
        page = await cached_page(
            info,
            "patient.summaries",
            Summary,
            summaries_service.list_summaries,
            summaries_service.SummaryFilter(patient_id=self._model.id),
            first=page_size(info, first),
            after=after,
        )
        return page_connection(page, encode=SummaryType.from_model, key=summary_cursor)

    @strawberry.field(description="The patient's findings, newest observation first.")
    async def findings(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[FindingType]:
        page = await findings_service.list_findings(
            session=await info.context.session(),
            organization_id=info.context.user.organization_id,
            filter=findings_service.FindingFilter(patient_id=self._model.id),
            first=page_size(info, first),
            after=after,
        )
        return page_connection(page, encode=FindingType.from_model, key=finding_cursor)

    @strawberry.field(description="The newest summary (null before the first).")
    async def latest_summary(self, info: Info) -> SummaryType | None:
        summary = await info.context.latest_summary_by_patient_id.load(self._model.id)
        return SummaryType.from_model(summary) if summary else None

    @classmethod
    def from_model(cls, patient: Patient) -> PatientType:
        return cls(
            id=to_global_id("Patient", patient.id),
            token=patient.token,
            created_at=patient.created_at,
            _model=patient,
        )


def file_cursor(file: MedicalFile) -> Cursor:
    return Cursor(file.uploaded_at, str(file.id))


def patient_cursor(patient: Patient) -> Cursor:
    return Cursor(patient.created_at, str(patient.id))
