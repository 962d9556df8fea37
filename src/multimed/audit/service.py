"""Append, list and verify hash-chained audit events. Details must never hold PHI."""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import select

from multimed.audit.models import AuditEvent
from multimed.core.db import utcnow

GENESIS = "0" * 64
# One chain: appends are serialized by a transaction-scoped advisory lock.
_CHAIN_LOCK = 0x4D4D_4155  # "MMAU"
# Detail values are restricted to non-identifying scalars; the caller passes ids, counts and codes.
_DETAIL_TYPES = (int, float, bool, type(None))


def _digest(prev_hash: str, event: AuditEvent) -> str:
    body = {
        "at": event.at.isoformat(),
        "organization_id": str(event.organization_id) if event.organization_id else None,
        "actor_id": str(event.actor_id) if event.actor_id else None,
        "action": event.action,
        "target_type": event.target_type,
        "target_id": event.target_id,
        "outcome": event.outcome,
        "request_id": event.request_id,
        "details": event.details,
    }
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256((prev_hash + canonical).encode()).hexdigest()


def _check_details(details: dict[str, Any]) -> dict[str, Any]:
    for name, value in details.items():
        ok = isinstance(value, _DETAIL_TYPES) or (isinstance(value, str) and len(value) <= 64)
        if not ok:
            raise ValueError(f"audit detail {name!r} must be a short code, id or number")
    return details


async def append(
    *,
    session: AsyncSession,
    action: str,
    outcome: str,
    organization_id: uuid.UUID | None = None,
    actor_id: uuid.UUID | None = None,
    target_type: str | None = None,
    target_id: str | uuid.UUID | None = None,
    request_id: str | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to the chain (flushes; the caller commits)."""
    await session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _CHAIN_LOCK})
    last = (
        await session.execute(select(AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1))  # type: ignore[union-attr]
    ).scalar_one_or_none()
    event = AuditEvent(
        at=utcnow(),
        organization_id=organization_id,
        actor_id=actor_id,
        action=action,
        target_type=target_type,
        target_id=str(target_id) if target_id is not None else None,
        outcome=outcome,
        request_id=request_id,
        details=_check_details(details or {}),
        prev_hash=last or GENESIS,
        hash="",
    )
    event.hash = _digest(event.prev_hash, event)
    session.add(event)
    await session.flush()
    return event


@dataclass(frozen=True)
class ChainReport:
    checked: int
    first_broken_seq: int | None
    reason: str | None

    @property
    def ok(self) -> bool:
        return self.first_broken_seq is None


async def verify(*, session: AsyncSession, batch: int = 1000) -> ChainReport:
    """Walk the chain in order and report the first event whose link or content does not match."""
    prev = GENESIS
    checked = 0
    last_seq = 0
    while True:
        rows = (
            (
                await session.execute(
                    select(AuditEvent).where(AuditEvent.seq > last_seq).order_by(AuditEvent.seq).limit(batch)  # type: ignore[arg-type,operator,union-attr]
                )
            )
            .scalars()
            .all()
        )
        if not rows:
            return ChainReport(checked, None, None)
        for event in rows:
            assert event.seq is not None
            if event.prev_hash != prev:
                return ChainReport(
                    checked, event.seq, "link to the previous event is broken (deleted or altered)"
                )
            if _digest(prev, event) != event.hash:
                return ChainReport(checked, event.seq, "event content does not match its hash (altered)")
            prev = event.hash
            checked += 1
            last_seq = event.seq
        session.expunge_all()


@dataclass(frozen=True)
class AuditFilter:
    action: str | None = None
    actor_id: uuid.UUID | None = None
    target_id: str | None = None
    since: datetime | None = None
    until: datetime | None = None


async def list_events(
    *, session: AsyncSession, organization_id: uuid.UUID, flt: AuditFilter, limit: int, after_seq: int | None
) -> tuple[Sequence[AuditEvent], int]:
    """A page of an organization's events, newest first, and the total matching."""
    conditions: list[Any] = [AuditEvent.organization_id == organization_id]
    if flt.action:
        conditions.append(AuditEvent.action == flt.action)
    if flt.actor_id:
        conditions.append(AuditEvent.actor_id == flt.actor_id)
    if flt.target_id:
        conditions.append(AuditEvent.target_id == flt.target_id)
    if flt.since:
        conditions.append(AuditEvent.at >= flt.since)
    if flt.until:
        conditions.append(AuditEvent.at < flt.until)
    total = (
        await session.execute(select(func.count()).select_from(AuditEvent).where(*conditions))
    ).scalar_one()
    query = select(AuditEvent).where(*conditions)
    if after_seq is not None:
        query = query.where(AuditEvent.seq < after_seq)  # type: ignore[operator]
    rows = (await session.execute(query.order_by(AuditEvent.seq.desc()).limit(limit))).scalars().all()  # type: ignore[union-attr]
    return rows, int(total)
