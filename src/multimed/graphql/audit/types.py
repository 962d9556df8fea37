"""AuditEvent."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.scalars import JSON

from multimed.audit.models import AuditEvent
from multimed.graphql.relay import Node, to_global_id


@strawberry.type(name="AuditEvent")
class AuditEventType(Node):
    id: strawberry.ID
    seq: int
    at: datetime
    actor_id: strawberry.ID | None
    action: str
    target_type: str | None
    target_id: str | None
    outcome: str
    request_id: str | None
    details: JSON  # type: ignore[valid-type]
    hash: str

    @classmethod
    def from_model(cls, event: AuditEvent) -> AuditEventType:
        assert event.seq is not None
        return cls(
            id=to_global_id("AuditEvent", event.seq),
            seq=event.seq,
            at=event.at,
            actor_id=to_global_id("User", event.actor_id) if event.actor_id else None,
            action=event.action,
            target_type=event.target_type,
            target_id=event.target_id,
            outcome=event.outcome,
            request_id=event.request_id,
            details=event.details,  # type: ignore[arg-type]
            hash=event.hash,
        )


@strawberry.input
class AuditFilter:
    action: str | None = None
    actor_id: strawberry.ID | None = None
    target_id: str | None = None
    from_: datetime | None = strawberry.field(default=None, name="from")
    to: datetime | None = None
