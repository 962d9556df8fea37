"""The pipeline, defined once: which stages a job of each kind runs, and how a stage knows it is done.

A stage whose output already exists is skipped, so re-running a job (after a crash, or by a retry) never
writes anything twice.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from multimed.extraction import service as extraction_service
from multimed.files.models import FileKind
from multimed.findings import service as findings_service
from multimed.jobs.models import JobStage
from multimed.pipelines.analyze_file import analyze_file
from multimed.pipelines.deidentify_dicom import deidentify_dicom
from multimed.pipelines.extract_pdf import extract_pdf
from multimed.pipelines.transcribe_audio import transcribe_audio
from multimed.runtime import Runtime

StageRun = Callable[..., Awaitable[object]]


@dataclass(frozen=True)
class FileStage:
    stage: JobStage
    run: StageRun
    done: Callable[[Runtime, uuid.UUID], Awaitable[bool]]


async def _has_text(runtime: Runtime, file_id: uuid.UUID) -> bool:
    async with runtime.sessions() as session:
        return file_id in await extraction_service.latest_for_files(session=session, file_ids=[file_id])


async def _has_dicom(runtime: Runtime, file_id: uuid.UUID) -> bool:
    async with runtime.sessions() as session:
        return file_id in await extraction_service.dicom_summaries_for_files(
            session=session, file_ids=[file_id]
        )


async def _has_findings(runtime: Runtime, file_id: uuid.UUID) -> bool:
    async with runtime.sessions() as session:
        return file_id in await findings_service.analyzed_file_ids(session=session, file_ids=[file_id])


# Text stages de-identify as they extract (release_text): nothing un-de-identified is ever stored.
FILE_STAGES: dict[FileKind, tuple[FileStage, ...]] = {
    FileKind.PDF: (
        FileStage(JobStage.EXTRACT, extract_pdf, _has_text),
        FileStage(JobStage.ANALYZE, analyze_file, _has_findings),
    ),
    FileKind.AUDIO: (
        FileStage(JobStage.EXTRACT, transcribe_audio, _has_text),
        FileStage(JobStage.ANALYZE, analyze_file, _has_findings),
    ),
    FileKind.DICOM: (
        FileStage(JobStage.DEIDENTIFY, deidentify_dicom, _has_dicom),
        FileStage(JobStage.ANALYZE, analyze_file, _has_findings),
    ),
}
