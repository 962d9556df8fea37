"""AnonymizedText and Deidentification."""

from __future__ import annotations

from datetime import datetime

import strawberry

from multimed.deid.models import DeidReport
from multimed.deid.text import DeidentifiedText


@strawberry.type
class Entity:
    type: str
    start: int = strawberry.field(description="Offset in the de-identified text.")
    end: int
    score: float
    original_start: int = strawberry.field(description="Offset in the submitted text.")
    original_end: int


@strawberry.type
class AnonymizedText:
    text: str
    entities: list[Entity]

    @classmethod
    def from_result(cls, result: DeidentifiedText) -> AnonymizedText:
        return cls(
            text=result.text,
            entities=[
                Entity(
                    type=r.type.value,
                    start=r.start,
                    end=r.end,
                    score=round(r.score, 3),
                    original_start=r.original_start,
                    original_end=r.original_end,
                )
                for r in result.replacements
            ],
        )


@strawberry.type
class EntityCount:
    type: str
    count: int


@strawberry.type
class Deidentification:
    method: str
    detector: str
    profile_options: list[str]
    entity_counts: list[EntityCount]
    dicom_actions: list[EntityCount] = strawberry.field(description="DICOM attributes by action taken.")
    pixel_boxes: int
    at: datetime

    @classmethod
    def from_model(cls, report: DeidReport) -> Deidentification:
        counts = [EntityCount(type=k, count=v) for k, v in sorted(report.entity_counts.items())]
        actions = [EntityCount(type=k, count=int(v)) for k, v in sorted(report.dicom_actions.items())]
        return cls(
            method=report.method,
            detector=report.detector,
            profile_options=list(report.profile_options),
            entity_counts=counts,
            dicom_actions=actions,
            pixel_boxes=report.pixel_boxes,
            at=report.created_at,
        )
