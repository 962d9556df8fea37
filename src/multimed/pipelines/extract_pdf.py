"""EXTRACT + DE-IDENTIFY for PDFs: text layer or OCR per page, de-identified, stored with its position map."""

from __future__ import annotations

import asyncio
import dataclasses
import uuid

from multimed.core.db import transaction
from multimed.deid import service as deid_service
from multimed.deid.models import DeidReport
from multimed.extraction import service as extraction_service
from multimed.extraction.models import ExtractedText
from multimed.extraction.pdf import read_pdf
from multimed.extraction.positions import remap
from multimed.files import service as files_service
from multimed.files.models import FileKind, FileStatus
from multimed.patients import service as patients_service
from multimed.pipelines.sources import load_original
from multimed.runtime import Runtime

MAX_PAGES = 200


async def extract_pdf(runtime: Runtime, *, file_id: uuid.UUID, organization_id: uuid.UUID) -> ExtractedText:
    """Read, de-identify (fail closed) and store the text of one PDF file version."""
    file, data = await load_original(
        runtime, file_id=file_id, organization_id=organization_id, kind=FileKind.PDF
    )
    extracted = await asyncio.to_thread(read_pdf, data, ocr=await runtime.ocr_engine(), max_pages=MAX_PAGES)
    del data
    detector = await runtime.phi_detector()
    policy = runtime.deid_policy
    async with transaction(runtime.sessions) as session:
        patient = await patients_service.get_or_raise(
            session=session, organization_id=organization_id, patient_id=file.patient_id
        )
        deid = await deid_service.deidentify_patient_text(
            session=session,
            patient=patient,
            text=extracted.text,
            detector=detector,
            policy=policy,
            keys=deid_service.DeidKeys.from_keyring(runtime.secrets.master),
        )
        row = await extraction_service.store(
            session=session,
            file_id=file.id,
            text=deid.text,
            positions=remap(extracted.positions, deid),
            pages=[dataclasses.asdict(p) for p in extracted.pages],
            engine=extracted.engine,
            ocr_engine=extracted.ocr_engine,
            seconds=extracted.seconds,
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
            session=session, organization_id=organization_id, file_id=file_id
        )
        current.status = FileStatus.PROCESSING.value
        session.add(current)
        return row
