"""The common end of every text stage: de-identify (fail closed), then store text, map and report."""

from __future__ import annotations

from collections.abc import Sequence

from multimed.core.db import transaction
from multimed.deid import service as deid_service
from multimed.deid.models import DeidReport
from multimed.extraction import service as extraction_service
from multimed.extraction.models import ExtractedText
from multimed.extraction.positions import Position, remap
from multimed.files import service as files_service
from multimed.files.models import FileStatus, MedicalFile
from multimed.patients import service as patients_service
from multimed.runtime import Runtime


async def release_text(
    runtime: Runtime,
    *,
    file: MedicalFile,
    text: str,
    positions: Sequence[Position],
    engine: str,
    seconds: float,
    pages: list[dict[str, object]] | None = None,
    ocr_engine: str | None = None,
) -> ExtractedText:
    """Store only the de-identified text of a file version, its positions remapped, and the report."""
    detector = await runtime.phi_detector()
    policy = runtime.deid_policy
    async with transaction(runtime.sessions) as session:
        patient = await patients_service.get_or_raise(
            session=session, organization_id=file.organization_id, patient_id=file.patient_id
        )
        deid = await deid_service.deidentify_patient_text(
            session=session,
            patient=patient,
            text=text,
            detector=detector,
            policy=policy,
            keys=deid_service.DeidKeys.from_keyring(runtime.secrets.master),
        )
        row = await extraction_service.store(
            session=session,
            file_id=file.id,
            text=deid.text,
            positions=remap(positions, deid),
            pages=pages or [],
            engine=engine,
            ocr_engine=ocr_engine,
            seconds=seconds,
        )
        await deid_service.record_report(
            session=session,
            report=DeidReport(
                file_id=file.id,
                method=policy.label,
                detector=f"{detector.name} {detector.version}",
                entity_counts=deid.counts(),
            ),
        )
        current = await files_service.get_or_raise(
            session=session, organization_id=file.organization_id, file_id=file.id
        )
        current.status = FileStatus.PROCESSING.value
        session.add(current)
        return row
