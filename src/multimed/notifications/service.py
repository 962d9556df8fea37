"""Store, list and mark notifications; a user sees only their own, within their organization."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, bindparam, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from multimed.core.db import utcnow
from multimed.core.pagination import Page, PageQueries
from multimed.notifications.addresses import checked_address
from multimed.notifications.models import EmailStatus, Notification, NotificationAddress, NotificationKind


def channel(user_id: uuid.UUID) -> str:
    """The event-bus channel a user's new notifications are published on."""
    return f"notifications:{user_id}"


def event(notification: Notification) -> dict[str, Any]:
    """What is published on the bus: ids only; readers load the row (and its organization check) by id."""
    return {
        "id": str(notification.id),
        "userId": str(notification.user_id),
        "kind": notification.kind,
        "jobId": str(notification.job_id),
    }


async def create_once(
    *,
    session: AsyncSession,
    organization_id: uuid.UUID,
    user_id: uuid.UUID,
    kind: NotificationKind,
    job_id: uuid.UUID,
    patient_token: str,
    message: str,
    summary_id: uuid.UUID | None = None,
) -> Notification | None:
    """A new notification (flushed), or None when this job already notified this user of this kind.

    ON CONFLICT makes it safe against two runners finishing the same job at once.
    """
    note = Notification(
        organization_id=organization_id,
        user_id=user_id,
        kind=kind.value,
        job_id=job_id,
        summary_id=summary_id,
        patient_token=patient_token,
        message=message[:300],
    )
    statement = (
        insert(Notification)
        .values(**note.model_dump())
        .on_conflict_do_nothing(index_elements=["job_id", "kind", "user_id"])
        .returning(col(Notification.id))
    )
    inserted = (await session.execute(statement)).scalar_one_or_none()
    if inserted is None:
        return None
    return note


async def get(
    *, session: AsyncSession, organization_id: uuid.UUID, user_id: uuid.UUID, notification_id: uuid.UUID
) -> Notification | None:
    """One of the user's notifications."""
    note = await session.get(Notification, notification_id)
    if note is None or note.user_id != user_id or note.organization_id != organization_id:
        return None
    return note


def _notifications(present: frozenset[str]) -> Select[Any]:
    query = select(Notification).where(
        Notification.organization_id == bindparam("organization_id"),
        Notification.user_id == bindparam("user_id"),
    )
    if "unread_only" in present:
        query = query.where(col(Notification.read_at).is_(None))
    return query


_NOTIFICATION_PAGES = PageQueries(
    _notifications, at_col=col(Notification.created_at), id_col=col(Notification.id), descending=True
)


async def list_notifications(
    *,
    session: AsyncSession,
    organization_id: uuid.UUID,
    user_id: uuid.UUID,
    unread_only: bool,
    first: int,
    after: str | None,
) -> Page[Notification]:
    """The user's notifications, newest first."""
    values = {"organization_id": organization_id, "user_id": user_id, "unread_only": unread_only or None}
    return await _NOTIFICATION_PAGES.fetch(session, values, first=first, after=after)


async def mark_read(
    *, session: AsyncSession, organization_id: uuid.UUID, user_id: uuid.UUID, ids: Sequence[uuid.UUID]
) -> int:
    """Mark the user's unread notifications among `ids` read; others' ids are ignored. Returns how many."""
    if not ids:
        return 0
    statement = (
        update(Notification)
        .where(
            col(Notification.id).in_(list(ids)),
            col(Notification.user_id) == user_id,
            col(Notification.organization_id) == organization_id,
            col(Notification.read_at).is_(None),
        )
        .values(read_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    result = await session.execute(statement)
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def record_email(
    *, session: AsyncSession, notification_id: uuid.UUID, status: EmailStatus, error: str | None = None
) -> None:
    """Store how the email went (flushes): a status and a code, never the server's words."""
    await session.execute(
        update(Notification)
        .where(col(Notification.id) == notification_id)
        .values(email_status=status.value, email_error=error[:64] if error else None)
        .execution_options(synchronize_session=False)
    )


async def email_address(*, session: AsyncSession, user_id: uuid.UUID) -> str | None:
    """Where the user's notification emails go, if they gave an address."""
    row = await session.get(NotificationAddress, user_id)
    return row.email if row else None


async def set_email_address(*, session: AsyncSession, user_id: uuid.UUID, email: str | None) -> str | None:
    """Set (or with None / "" remove) the user's notification address (flushes)."""
    row = await session.get(NotificationAddress, user_id)
    if not email or not email.strip():
        if row is not None:
            await session.delete(row)
            await session.flush()
        return None
    address = checked_address(email)
    if row is None:
        row = NotificationAddress(user_id=user_id, email=address)
    row.email, row.updated_at = address, utcnow()
    session.add(row)
    await session.flush()
    return address
