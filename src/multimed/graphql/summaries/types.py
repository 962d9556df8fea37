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
