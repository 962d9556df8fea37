"""Finding and Citation."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from multimed.core.pagination import Cursor
from multimed.findings.citation import Citation
from multimed.findings.draft import FindingKind, Severity
from multimed.findings.models import Finding
from multimed.findings.service import citation_of
from multimed.graphql.context import Info
from multimed.graphql.relay import Node, to_global_id

if TYPE_CHECKING:
    from multimed.graphql.files.types import MedicalFileType

SeverityEnum = strawberry.enum(Severity, name="Severity")
FindingKindEnum = strawberry.enum(FindingKind, name="FindingKind")


@strawberry.type(
    name="Citation",
    description="Where a statement comes from: `quote` is the file's de-identified text at "
    "[charStart, charEnd) (DICOM metadata citations have no span).",
)
class CitationType:
    version: int
    page: int | None
    start_seconds: float | None
    end_seconds: float | None
    char_start: int | None
    char_end: int | None
    quote: str
    _citation: strawberry.Private[Citation]

    @strawberry.field
    async def file(
        self, info: Info
    ) -> Annotated[MedicalFileType, strawberry.lazy("multimed.graphql.files.types")] | None:
        from multimed.graphql.files.types import MedicalFileType

        file = await info.context.file_by_id.load(self._citation.file_id)
        return MedicalFileType.from_model(file) if file else None

    @classmethod
    def of(cls, citation: Citation) -> CitationType:
        return cls(
            version=citation.version,
            page=citation.page,
            start_seconds=citation.start_seconds,
            end_seconds=citation.end_seconds,
            char_start=citation.char_start,
            char_end=citation.char_end,
            quote=citation.quote,
            _citation=citation,
        )


@strawberry.type(name="Finding")
class FindingType(Node):
    id: strawberry.ID
    kind: FindingKindEnum  # type: ignore[valid-type]
    name: str
    code: str | None
    value: float | None
    value_text: str | None
    qualifier: str | None
    unit: str | None
    reference_low: float | None
    reference_high: float | None
    flag: str | None
    severity: SeverityEnum  # type: ignore[valid-type]
    negated: bool
    specimen: str | None
    observed_at: datetime
    _model: strawberry.Private[Finding]

    @strawberry.field
    async def citation(self, info: Info) -> CitationType:
        file = await info.context.file_by_id.load(self._model.file_id)
        version = file.version if file else 0
        return CitationType.of(citation_of(self._model, version))

    @classmethod
    def from_model(cls, finding: Finding) -> FindingType:
        return cls(
            id=to_global_id("Finding", finding.id),
            kind=FindingKind(finding.kind),
            name=finding.name,
            code=finding.code,
            value=finding.value,
            value_text=finding.value_text,
            qualifier=finding.qualifier,
            unit=finding.unit,
            reference_low=finding.reference_low,
            reference_high=finding.reference_high,
            flag=finding.flag,
            severity=Severity(finding.severity),
            negated=finding.negated,
            specimen=finding.specimen,
            observed_at=finding.observed_at,
            _model=finding,
        )


def finding_cursor(finding: Finding) -> Cursor:
    return Cursor(finding.observed_at, str(finding.id))
