"""De-identification use cases: the anonymization test, patient text with stable surrogates, reports."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from multimed.audit import service as audit_service
from multimed.audit.actions import Action, Outcome
from multimed.deid.context import DATE_SHIFT_PURPOSE, date_shift_days
from multimed.deid.errors import ReleaseBlocked, TextTooLong
from multimed.deid.gate import check_release
from multimed.deid.models import DeidReport, Surrogate
from multimed.deid.policy import Operator, Policy
from multimed.deid.surrogates import MemorySurrogateBook
from multimed.deid.text import DeidentifiedText, deidentify_text
from multimed.ml.phi.base import PhiDetector, PhiType
from multimed.patients.models import Patient

SURROGATE_PURPOSE = "multimed/surrogate-values/v1"
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
    surrogate_key: bytes,
    date_key: bytes,
    known_values: Sequence[str] = (),
    request_id: str | None = None,
) -> DeidentifiedText:
    """De-identify one text of a patient; surrogates stay stable across the patient's files.

    Fails closed: when the gate finds anything left, an audit event with counts is written and
    ReleaseBlocked is raised; no surrogate or text of this call is stored.
    """
    # Serialize numbering per patient so two files processed at once cannot take the same number.
    await session.execute(select(Patient.id).where(Patient.id == patient.id).with_for_update())
    rows = (
        (await session.execute(select(Surrogate).where(Surrogate.patient_id == patient.id))).scalars().all()
    )
    book = MemorySurrogateBook(surrogate_key, [(r.kind, r.value_key, r.number) for r in rows])
    shift = (
        date_shift_days(patient.token, date_key) if policy.operator(PhiType.DATE) is Operator.SHIFT else None
    )
    spans = detector.analyze(text, known_values=known_values)
    result = deidentify_text(text, spans, policy=policy, book=book, date_shift=shift)
    try:
        check_release(result.text, detector, policy=policy)
    except ReleaseBlocked as blocked:
        await audit_service.append(
            session=session,
            action=Action.RELEASE_BLOCKED,
            outcome=Outcome.DENIED,
            organization_id=patient.organization_id,
            target_type="patient",
            target_id=patient.id,
            request_id=request_id,
            details={f"residual_{k.lower()}": v for k, v in blocked.counts.items()},
        )
        raise
    for kind, value_key, number in book.new:
        session.add(Surrogate(patient_id=patient.id, kind=kind, value_key=value_key, number=number))
    await session.flush()
    return result


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


__all__ = ["DATE_SHIFT_PURPOSE", "SURROGATE_PURPOSE", "anonymize_test", "deidentify_patient_text"]
