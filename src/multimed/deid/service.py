"""De-identification use cases: the anonymization test, patient text with stable surrogates, reports."""

from __future__ import annotations

import asyncio
import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from pydicom.dataset import Dataset
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from multimed.audit import service as audit_service
from multimed.audit.actions import Action, Outcome
from multimed.core.keys import MasterKeyring
from multimed.deid.context import DATE_SHIFT_PURPOSE, UID_PURPOSE, PatientContext, date_shift_days
from multimed.deid.dicom import (
    DicomOptions,
    DicomReport,
    deidentify_dataset,
    effective_options,
    patient_identifiers,
    residual_phi,
)
from multimed.deid.errors import ReleaseBlocked, TextTooLong
from multimed.deid.gate import check_release
from multimed.deid.models import DeidReport, Surrogate
from multimed.deid.policy import Operator, Policy
from multimed.deid.surrogates import MemorySurrogateBook
from multimed.deid.text import DeidentifiedText, deidentify_text
from multimed.ml.phi.base import PhiDetector, PhiType
from multimed.patients.models import Patient

SURROGATE_PURPOSE = "multimed/surrogate-values/v1"


@dataclass(frozen=True)
class DeidKeys:
    """Subkeys of the master key for one installation: the same everywhere it runs."""

    surrogates: bytes
    dates: bytes
    uids: bytes

    @classmethod
    def from_keyring(cls, keyring: MasterKeyring) -> DeidKeys:
        return cls(
            keyring.derive(SURROGATE_PURPOSE), keyring.derive(DATE_SHIFT_PURPOSE), keyring.derive(UID_PURPOSE)
        )


MAX_TEST_CHARS = 100_000


def anonymize_test(text: str, *, detector: PhiDetector, policy: Policy) -> DeidentifiedText:
    """De-identify a free text with numbering local to this call (no patient, nothing stored)."""
    if len(text) > MAX_TEST_CHARS:
        raise TextTooLong(MAX_TEST_CHARS)
    book = MemorySurrogateBook(secrets.token_bytes(32))
    shift = -secrets.randbelow(364) - 1 if policy.operator(PhiType.DATE) is Operator.SHIFT else None
    return deidentify_text(text, detector.analyze(text), policy=policy, book=book, date_shift=shift)


async def deidentify_patient_text(
    *,
    session: AsyncSession,
    patient: Patient,
    text: str,
    detector: PhiDetector,
    policy: Policy,
    keys: DeidKeys,
    known_values: Sequence[str] = (),
    request_id: str | None = None,
) -> DeidentifiedText:
    """De-identify one text of a patient; surrogates stay stable across the patient's files.

    Fails closed: when the gate finds anything left, an audit event with counts is written and
    ReleaseBlocked is raised; no surrogate or text of this call is stored.
    """
    book = await _patient_book(session, patient, keys.surrogates)
    shift = patient_date_shift(patient, policy, keys.dates)
    # The detector is CPU-bound: off the event loop, so the API keeps serving.
    spans = await asyncio.to_thread(detector.analyze, text, known_values=known_values)
    result = deidentify_text(text, spans, policy=policy, book=book, date_shift=shift)
    try:
        await asyncio.to_thread(
            check_release, result.text, detector, policy=policy, known_values=known_values
        )
    except ReleaseBlocked as blocked:
        raise await _blocked(session, patient, blocked.counts, request_id) from None
    await _save_book(session, patient, book)
    return result


def patient_date_shift(patient: Patient, policy: Policy, date_key: bytes) -> int | None:
    """The patient's offset when the policy shifts dates; None when it reduces them."""
    return (
        date_shift_days(patient.token, date_key) if policy.operator(PhiType.DATE) is Operator.SHIFT else None
    )


async def _patient_book(session: AsyncSession, patient: Patient, surrogate_key: bytes) -> MemorySurrogateBook:
    # Serialize numbering per patient so two files processed at once cannot take the same number.
    await session.execute(select(Patient.id).where(Patient.id == patient.id).with_for_update())
    rows = (
        (await session.execute(select(Surrogate).where(Surrogate.patient_id == patient.id))).scalars().all()
    )
    return MemorySurrogateBook(surrogate_key, [(r.kind, r.value_key, r.number) for r in rows])


async def _save_book(session: AsyncSession, patient: Patient, book: MemorySurrogateBook) -> None:
    for kind, value_key, number in book.new:
        session.add(Surrogate(patient_id=patient.id, kind=kind, value_key=value_key, number=number))
    await session.flush()


async def _blocked(
    session: AsyncSession, patient: Patient, counts: dict[str, int], request_id: str | None
) -> ReleaseBlocked:
    await audit_service.append(
        session=session,
        action=Action.RELEASE_BLOCKED,
        outcome=Outcome.DENIED,
        organization_id=patient.organization_id,
        target_type="patient",
        target_id=patient.id,
        request_id=request_id,
        details={f"residual_{k.lower()}": v for k, v in counts.items()},
    )
    return ReleaseBlocked(counts)


async def deidentify_patient_dicom(
    *,
    session: AsyncSession,
    patient: Patient,
    dataset: Dataset,
    options: DicomOptions,
    policy: Policy,
    keys: DeidKeys,
    detector: PhiDetector | None = None,
    identifiers: Sequence[str] | None = None,
    pixels_cleaned: bool = False,
    request_id: str | None = None,
) -> DicomReport:
    """De-identify a DICOM dataset in place with the patient's surrogates, date shift and UID key.

    PatientName becomes the same surrogate the patient has in text; descriptions are cleaned by the
    text de-identifier when a detector is given. Fails closed like text: any residual identifier
    blocks release (the audit event names counts, never values).
    """
    book = await _patient_book(session, patient, keys.surrogates)
    shift = patient_date_shift(patient, policy, keys.dates)
    # Taken before any cleaning when the caller already cleaned pixels with them.
    identifiers = list(identifiers) if identifiers is not None else patient_identifiers(dataset)
    name = str(dataset.get("PatientName") or "") or patient.token
    ctx = PatientContext(
        patient.token, book.label(PhiType.PATIENT, name.replace("^", " ")).strip("[]"), shift, keys.uids
    )

    def clean_text(value: str) -> str:
        assert detector is not None
        spans = detector.analyze(value, known_values=identifiers)
        return deidentify_text(value, spans, policy=policy, book=book, date_shift=shift).text

    applied = effective_options(options, date_shift=shift, can_clean_text=detector is not None)
    report = deidentify_dataset(
        dataset, ctx=ctx, options=applied, clean_text=clean_text if detector else None
    )
    residual = residual_phi(dataset, original_identifiers=identifiers, options=report.options)
    if residual:
        raise await _blocked(session, patient, {"DICOM": len(residual)}, request_id)
    await _save_book(session, patient, book)
    return report


async def record_report(*, session: AsyncSession, report: DeidReport) -> DeidReport:
    """Store a file version's de-identification report."""
    session.add(report)
    await session.flush()
    return report


async def reports_for_files(
    *, session: AsyncSession, file_ids: list[uuid.UUID]
) -> dict[uuid.UUID, DeidReport]:
    """The newest report of each file version, in one query."""
    query = (
        select(DeidReport).where(col(DeidReport.file_id).in_(file_ids)).order_by(col(DeidReport.created_at))
    )
    return {r.file_id: r for r in (await session.execute(query)).scalars().all()}
