"""The DE-IDENTIFY stage for DICOM files: header (and pixels when an OCR engine is given), gate, release."""

from __future__ import annotations

import asyncio
import dataclasses
import io
import uuid
from collections.abc import AsyncIterator

from pydicom import dcmread
from pydicom.dataset import Dataset

from multimed.core.db import transaction
from multimed.core.errors import DomainError
from multimed.deid import service as deid_service
from multimed.deid.dicom import DicomOptions, patient_identifiers
from multimed.deid.dicom.pixels import clean_pixels
from multimed.deid.models import DeidReport
from multimed.extraction import service as extraction_service
from multimed.extraction.dicom import summarize_dicom
from multimed.extraction.models import DicomSummaryRow
from multimed.files import service as files_service
from multimed.files.models import FileKind, FileStatus
from multimed.patients import service as patients_service
from multimed.pipelines.sources import load_original
from multimed.runtime import Runtime


class NotDicom(DomainError):
    code = "not_dicom"
    status = 422

    def __init__(self) -> None:
        super().__init__("the file is not a readable DICOM dataset")


def dicom_options(names: list[str]) -> DicomOptions:
    """DicomOptions from setting names; an unknown name is a configuration error, not silently ignored."""
    known = set(DicomOptions.__dataclass_fields__)
    unknown = sorted(set(names) - known)
    if unknown:
        raise ValueError(f"unknown DICOM options {unknown}; known: {sorted(known)}")
    return DicomOptions(**dict.fromkeys(names, True))


def _parse(raw: bytes) -> Dataset:
    try:
        return dcmread(io.BytesIO(raw))
    except Exception as exc:  # pydicom raises many types for damaged input
        raise NotDicom() from exc


def _serialize(ds: Dataset) -> bytes:
    out = io.BytesIO()
    ds.save_as(out, enforce_file_format=True)
    return out.getvalue()


async def _one(data: bytes) -> AsyncIterator[bytes]:
    yield data


async def deidentify_dicom(runtime: Runtime, *, file_id: uuid.UUID, organization_id: uuid.UUID) -> DeidReport:
    """De-identify one DICOM file version and release the result; fails closed on residual identifiers."""
    policy = runtime.deid_policy
    options = dicom_options(runtime.settings.dicom_options)
    file, original = await load_original(
        runtime, file_id=file_id, organization_id=organization_id, kind=FileKind.DICOM
    )
    ds = await asyncio.to_thread(_parse, original)
    del original
    clean_pixels_on = runtime.settings.dicom_clean_pixels
    detector = await runtime.phi_detector() if options.clean_descriptors or clean_pixels_on else None
    identifiers = patient_identifiers(ds)
    pixel_report = None
    if clean_pixels_on:
        pixel_report = await asyncio.to_thread(
            clean_pixels, ds, ocr=await runtime.ocr_engine(), detector=detector, identifiers=identifiers
        )
    async with transaction(runtime.sessions) as session:
        patient = await patients_service.get_or_raise(
            session=session, organization_id=organization_id, patient_id=file.patient_id
        )
        report = await deid_service.deidentify_patient_dicom(
            session=session,
            patient=patient,
            dataset=ds,
            options=options,
            policy=policy,
            keys=deid_service.DeidKeys.from_keyring(runtime.secrets.master),
            detector=detector if options.clean_descriptors else None,
            identifiers=identifiers,
            pixels_cleaned=pixel_report is not None,
        )
    blob = await runtime.blobs.put(_one(await asyncio.to_thread(_serialize, ds)))
    summary = await asyncio.to_thread(summarize_dicom, ds)
    preview = await runtime.blobs.put(_one(summary.preview_png)) if summary.preview_png else None
    try:
        async with transaction(runtime.sessions) as session:
            file = await files_service.get_or_raise(
                session=session, organization_id=organization_id, file_id=file_id
            )
            await files_service.attach_deidentified(
                session=session, file=file, blob=blob, content_type="application/dicom"
            )
            file.status = FileStatus.PROCESSING.value
            await extraction_service.store_dicom_summary(
                session=session,
                row=DicomSummaryRow(
                    file_id=file.id,
                    meta=summary.metadata,
                    pixel_stats=summary.pixel_stats,
                    preview_blob_key=preview.key if preview else None,
                    preview_wrapped_key=preview.wrapped_key if preview else None,
                    preview_key_id=preview.key_id if preview else None,
                    seconds=summary.seconds,
                ),
            )
            return await deid_service.record_report(
                session=session,
                report=DeidReport(
                    file_id=file.id,
                    method=f"{policy.label}; {report.profile_version}",
                    detector=f"{detector.name} {detector.version}" if detector else "none",
                    profile_options=sorted(k for k, v in dataclasses.asdict(report.options).items() if v),
                    entity_counts={},
                    dicom_actions=report.counts(),
                    pixel_boxes=pixel_report.boxes_redacted if pixel_report else 0,
                ),
            )
    except BaseException:
        await runtime.blobs.delete(blob.key)
        if preview is not None:
            await runtime.blobs.delete(preview.key)
        raise
