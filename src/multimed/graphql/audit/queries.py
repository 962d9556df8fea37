"""auditEvents."""

from __future__ import annotations

import strawberry

from multimed.audit import service as audit_service
from multimed.auth.policy import Permission
from multimed.core.pagination import Cursor
from multimed.graphql.audit.types import AuditEventType, AuditFilter
from multimed.graphql.context import Info
from multimed.graphql.pagination import page_size
from multimed.graphql.permissions import needs
from multimed.graphql.relay import Connection, connection, uuid_of


@strawberry.type
class AuditQueries:
    @strawberry.field(
        description="The organization's audit log, newest first.", extensions=needs(Permission.READ_AUDIT)
    )
    async def audit_events(
        self,
        info: Info,
        filter: AuditFilter | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[AuditEventType]:
        ctx = info.context
        flt = filter or AuditFilter()
        size = page_size(info, first)
        after_seq = int(Cursor.decode(after).id) if after else None
        rows, total = await audit_service.list_events(
            session=await ctx.session(),
            organization_id=ctx.user.organization_id,
            flt=audit_service.AuditFilter(
                action=flt.action,
                actor_id=uuid_of(flt.actor_id, "User") if flt.actor_id else None,
                target_id=flt.target_id,
                since=flt.from_,
                until=flt.to,
            ),
            limit=size + 1,
            after_seq=after_seq,
        )
        return connection(
            rows[:size],
            total=total,
            has_next=len(rows) > size,
            encode=AuditEventType.from_model,
            key=lambda e: Cursor(e.at, str(e.seq)),
        )
