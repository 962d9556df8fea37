"""Summary, its sections and statements."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from multimed.core.pagination import Cursor
from multimed.graphql.context import Info
from multimed.graphql.findings.types import CitationType, FindingType, SeverityEnum
from multimed.graphql.relay import Node, to_global_id
from multimed.summaries.builder import Section, sections_from_json
from multimed.summaries.coverage import GapReason, UncoveredFile
from multimed.summaries.models import Summary

if TYPE_CHECKING:
    from multimed.graphql.files.types import MedicalFileType
    from multimed.graphql.patients.types import PatientType


@strawberry.type(name="Statement")
class StatementType:
    text: str
    severity: SeverityEnum  # type: ignore[valid-type]
    citations: list[CitationType]


@strawberry.type(name="SummarySection")
class SectionType:
    title: str
    statements: list[StatementType]

    @classmethod
    def of(cls, section: Section) -> SectionType:
        return cls(
            title=section.title,
            statements=[
                StatementType(
                    text=st.text, severity=st.severity, citations=[CitationType.of(c) for c in st.citations]
                )
                for st in section.statements
            ],
        )


CoverageGapEnum = strawberry.enum(
    GapReason, name="CoverageGap", description="Why a file version was not analyzed (its newest job)."
)


@strawberry.type(
    name="UncoveredFile", description="A file version a summary leaves out: it was not analyzed."
)
class UncoveredFileType:
    name: str = strawberry.field(description="The file's neutral display name.")
    reason: CoverageGapEnum  # type: ignore[valid-type]
    error_code: str | None = strawberry.field(description="The failed job's error code.")
    _file_id: strawberry.Private[uuid.UUID]

    @strawberry.field
    async def file(
        self, info: Info
    ) -> Annotated[MedicalFileType, strawberry.lazy("multimed.graphql.files.types")] | None:
        from multimed.graphql.files.types import MedicalFileType

        file = await info.context.file_by_id.load(self._file_id)
        return MedicalFileType.from_model(file) if file else None

    @classmethod
    def of(cls, gap: UncoveredFile) -> UncoveredFileType:
        return cls(name=gap.name, reason=gap.reason, error_code=gap.error_code, _file_id=gap.file_id)


@strawberry.type(name="Summary")
class SummaryType(Node):
    id: strawberry.ID
    version: int
    created_at: datetime
    has_critical: bool
    text: str
    html: str = strawberry.field(
        description="An HTML fragment: CRITICAL statements red, ABNORMAL amber, citations link to the file."
    )
    summarizer: str
    _model: strawberry.Private[Summary]

    @strawberry.field(
        description="Critical findings, Abnormal results, Imaging, Clinical notes, Normal results in brief."
    )
    def sections(self) -> list[SectionType]:
        return [SectionType.of(s) for s in sections_from_json(self._model.sections)]

    @strawberry.field
    async def patient(
        self, info: Info
    ) -> Annotated[PatientType, strawberry.lazy("multimed.graphql.patients.types")] | None:
        from multimed.graphql.patients.types import PatientType

        patient = await info.context.patient_by_id.load(self._model.patient_id)
        return PatientType.from_model(patient) if patient else None

    @strawberry.field(description="The file versions the summary covers.")
    async def sources(
        self, info: Info
    ) -> list[Annotated[MedicalFileType, strawberry.lazy("multimed.graphql.files.types")]]:
        from multimed.graphql.files.types import MedicalFileType

        files = await info.context.file_by_id.load_many(
            [uuid.UUID(raw) for raw in self._model.source_file_ids]
        )
        return [MedicalFileType.from_model(f) for f in files if f is not None]

    @strawberry.field(
        description="The patient's files this summary leaves out because they were not analyzed (their "
        "findings are missing from it); empty when it covers every file it was asked to."
    )
    def uncovered_files(self) -> list[UncoveredFileType]:
        return [UncoveredFileType.of(UncoveredFile.from_json(u)) for u in self._model.uncovered_files]

    @strawberry.field(description="The findings the summary states, in statement order.")
    async def findings(self, info: Info) -> list[FindingType]:
        rows = await info.context.findings_by_summary_id.load(self._model.id)
        return [FindingType.from_model(f) for f in rows]

    @classmethod
    def from_model(cls, summary: Summary) -> SummaryType:
        return cls(
            id=to_global_id("Summary", summary.id),
            version=summary.version,
            created_at=summary.created_at,
            has_critical=summary.has_critical,
            text=summary.text,
            html=summary.html,
            summarizer=summary.summarizer,
            _model=summary,
        )


def summary_cursor(summary: Summary) -> Cursor:
    return Cursor(summary.created_at, str(summary.id))
