"""DicomInfo: what the de-identified DICOM shows, without pixels."""

from __future__ import annotations

import strawberry
from strawberry.scalars import JSON

from multimed.extraction.models import DicomSummaryRow


@strawberry.type
class PixelStats:
    min: float
    max: float
    mean: float
    std: float


@strawberry.type
class DicomInfo:
    modality: str | None
    body_part: str | None
    study_description: str | None
    series_description: str | None
    rows: int | None
    columns: int | None
    frames: int
    parameters: JSON  # type: ignore[valid-type]
    pixel_stats: PixelStats | None
    preview_url: str | None = strawberry.field(description="GET it with the same bearer token (PNG).")

    @classmethod
    def from_model(cls, row: DicomSummaryRow) -> DicomInfo:
        meta = row.meta
        stats = PixelStats(**row.pixel_stats) if row.pixel_stats else None
        return cls(
            modality=meta.get("Modality"),
            body_part=meta.get("BodyPartExamined"),
            study_description=meta.get("StudyDescription"),
            series_description=meta.get("SeriesDescription"),
            rows=meta.get("rows"),
            columns=meta.get("columns"),
            frames=int(meta.get("frames") or 1),
            parameters=meta.get("parameters", {}),
            pixel_stats=stats,
            preview_url=f"/files/{row.file_id}/preview" if row.preview_blob_key else None,
        )
