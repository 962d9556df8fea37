"""Patients by pseudonym token: HMAC-SHA256 of the normalized MRN under a master-derived key."""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, bindparam, func
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from multimed.core.crypto import keyed_hash
from multimed.core.keys import MasterKeyring
from multimed.core.pagination import Page, PageQueries
from multimed.patients.errors import InvalidMrn, PatientNotFound
from multimed.patients.models import Patient

TOKEN_PURPOSE = "multimed/patient-token/v1"
_SEPARATORS = re.compile(r"[\s\-./]+")
_VALID = re.compile(r"^[A-Z0-9]{1,64}$")


def normalize_mrn(mrn: str) -> str:
    """Upper-case, separators removed; leading zeros kept (they are part of many MRNs)."""
    normalized = _SEPARATORS.sub("", mrn).upper()
    if not _VALID.match(normalized):
        raise InvalidMrn()
    return normalized


def patient_token(mrn: str, keyring: MasterKeyring) -> str:
    """The same token for the same MRN everywhere; irreversible without the master key."""
    return keyed_hash(keyring.derive(TOKEN_PURPOSE), normalize_mrn(mrn))


async def get_or_create(*, session: AsyncSession, organization_id: uuid.UUID, token: str) -> Patient:
    """The organization's patient with this token, created on first sight (race-safe)."""
    await session.execute(
        insert(Patient)
        .values(id=uuid.uuid4(), organization_id=organization_id, token=token, created_at=func.now())
        .on_conflict_do_nothing(index_elements=["organization_id", "token"])
    )
    patient = await get_by_token(session=session, organization_id=organization_id, token=token)
    assert patient is not None
    return patient


def rows_of_patient(model: Any, present: frozenset[str]) -> Select[Any]:
    """The organization's rows of a table of patients' records (`model` has organization_id and
    patient_id), narrowed to one patient when `patient_id` or `patient_token` is among the filters present.
    Values are bound parameters of those names (and :organization_id): see PageQueries.

    A token becomes the patient's id in a scalar subquery, NULL (matching nothing) when no patient has it:
    a list filtered by token costs no round trip of its own."""
    query = select(model).where(model.organization_id == bindparam("organization_id"))
    if "patient_id" in present:
        query = query.where(model.patient_id == bindparam("patient_id"))
    if "patient_token" in present:
        patient = select(Patient.id).where(
            Patient.organization_id == bindparam("organization_id"),
            Patient.token == bindparam("patient_token"),
        )
        query = query.where(model.patient_id == patient.scalar_subquery())
    return query


async def get_by_token(*, session: AsyncSession, organization_id: uuid.UUID, token: str) -> Patient | None:
    """A patient of the organization by token."""
    query = select(Patient).where(Patient.organization_id == organization_id, Patient.token == token)
    return (await session.execute(query)).scalar_one_or_none()


async def get(*, session: AsyncSession, organization_id: uuid.UUID, patient_id: uuid.UUID) -> Patient | None:
    """A patient of the organization by id."""
    patient = await session.get(Patient, patient_id)
    return patient if patient is not None and patient.organization_id == organization_id else None


async def get_or_raise(
    *, session: AsyncSession, organization_id: uuid.UUID, patient_id: uuid.UUID
) -> Patient:
    """A patient of the organization by id, or PatientNotFound."""
    patient = await get(session=session, organization_id=organization_id, patient_id=patient_id)
    if patient is None:
        raise PatientNotFound()
    return patient


_PATIENT_PAGES = PageQueries(
    lambda present: select(Patient).where(Patient.organization_id == bindparam("organization_id")),
    at_col=Patient.created_at,
    id_col=Patient.id,
)


async def list_patients(
    *, session: AsyncSession, organization_id: uuid.UUID, first: int, after: str | None
) -> Page[Patient]:
    """A page of the organization's patients, oldest first."""
    return await _PATIENT_PAGES.fetch(session, {"organization_id": organization_id}, first=first, after=after)


async def by_ids(
    *, session: AsyncSession, organization_id: uuid.UUID, patient_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, Patient]:
    """The organization's patients among `patient_ids`, in one query."""
    query = select(Patient).where(
        Patient.organization_id == organization_id, col(Patient.id).in_(list(patient_ids))
    )
    return {p.id: p for p in (await session.execute(query)).scalars().all()}
