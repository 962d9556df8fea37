"""Which file versions a summary covers: asked for, queued, waited on and summarized by this one rule.

A file version is covered only once it was analyzed (findings.models.FileAnalysis, stored with its findings).
A summary of named files refuses to leave any out: a clinician who named them expects them all. A summary
of the latest files leaves out those whose processing failed, was cancelled or (uploaded while the job ran)
has not finished, and names them (`UncoveredFile`) in its text and data, so it is never silently
incomplete. A summary that would cover nothing is refused.
"""

from __future__ import annotations

import enum
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from multimed.files import service as files_service
from multimed.files.models import MedicalFile
from multimed.findings import service as findings_service
from multimed.jobs import service as jobs_service
from multimed.jobs.models import JobStatus
from multimed.summaries.errors import FilesNotAnalyzed, FilesNotProcessed, NothingToSummarize, UnknownFiles


async def covered_files(
    *,
    session: AsyncSession,
    organization_id: uuid.UUID,
    patient_id: uuid.UUID,
    file_ids: Sequence[uuid.UUID] | None,
) -> list[MedicalFile]:
    """The given file versions (every one must be the patient's, else UnknownFiles) or, without any, the
    latest version of each of the patient's files; NothingToSummarize when that leaves none. Oldest first."""
    wanted = list(dict.fromkeys(file_ids or []))
    if wanted:
        found = await files_service.by_ids(session=session, organization_id=organization_id, file_ids=wanted)
        files = [f for f in found if f.patient_id == patient_id]
        if len(files) != len(wanted):
            raise UnknownFiles(len(wanted) - len(files))
    else:
        files = await files_service.latest_versions(
            session=session, organization_id=organization_id, patient_id=patient_id
        )
    if not files:
        raise NothingToSummarize()
    return files


class GapReason(enum.StrEnum):
    """Why a file version was not analyzed, from its newest processing job."""

    FAILED = "FAILED"
    CANCELLED = "CANCELLED"
    PROCESSING = "PROCESSING"  # queued or running still
    NOT_ANALYZED = "NOT_ANALYZED"  # no job says why (none ran, or it ended without analyzing)


_WORDS = {
    GapReason.FAILED: "processing failed",
    GapReason.CANCELLED: "processing was cancelled",
    GapReason.PROCESSING: "still processing",
    GapReason.NOT_ANALYZED: "not analyzed",
}


@dataclass(frozen=True)
class UncoveredFile:
    """A file version a summary leaves out, and why (a stable error code, never patient data)."""

    file_id: uuid.UUID
    name: str
    reason: GapReason
    error_code: str | None = None

    def sentence(self) -> str:
        """ "PDF file 0f3a9c21 v2: processing failed (stage_timeout)" """
        code = f" ({self.error_code})" if self.error_code else ""
        return f"{self.name}: {_WORDS[self.reason]}{code}"

    def to_json(self) -> dict[str, object]:
        return {
            "fileId": str(self.file_id),
            "name": self.name,
            "reason": self.reason.value,
            "errorCode": self.error_code,
        }

    @classmethod
    def from_json(cls, data: dict[str, object]) -> UncoveredFile:
        code = data.get("errorCode")
        return cls(
            uuid.UUID(str(data["fileId"])),
            str(data["name"]),
            GapReason(str(data["reason"])),
            str(code) if code is not None else None,
        )


@dataclass(frozen=True)
class Coverage:
    """The file versions a summary states (all analyzed) and those it leaves out."""

    files: list[MedicalFile]
    uncovered: list[UncoveredFile]


async def coverage(
    *,
    session: AsyncSession,
    organization_id: uuid.UUID,
    patient_id: uuid.UUID,
    file_ids: Sequence[uuid.UUID] | None,
    processing_ok: bool = False,
) -> Coverage:
    """The covered files split into analyzed and left out; refused when the request named files and one is
    left out, or when all are. FilesNotAnalyzed counts those whose processing failed or was cancelled,
    FilesNotProcessed those still processing. `processing_ok` (asking, before the job waits for its files)
    refuses only what waiting cannot mend."""
    files = await covered_files(
        session=session, organization_id=organization_id, patient_id=patient_id, file_ids=file_ids
    )
    analyzed = await findings_service.analyzed_file_ids(session=session, file_ids=[f.id for f in files])
    missing = [f for f in files if f.id not in analyzed]
    uncovered = await _why(session, missing) if missing else []
    blocking = [u for u in uncovered if not (processing_ok and u.reason is GapReason.PROCESSING)]
    if blocking and (file_ids or len(blocking) == len(files)):
        failed = [u for u in blocking if u.reason is not GapReason.PROCESSING]
        if failed:
            raise FilesNotAnalyzed(len(failed))
        raise FilesNotProcessed(len(blocking))
    return Coverage([f for f in files if f.id in analyzed], uncovered)


async def _why(session: AsyncSession, files: Sequence[MedicalFile]) -> list[UncoveredFile]:
    jobs = await jobs_service.latest_for_files(session=session, file_ids=[f.id for f in files])
    out = []
    for file in files:
        job = jobs.get(file.id)
        status = JobStatus(job.status) if job is not None else None
        if status is JobStatus.FAILED:
            reason, code = GapReason.FAILED, job.error_code if job is not None else None
        elif status is JobStatus.CANCELLED:
            reason, code = GapReason.CANCELLED, None
        elif status in (JobStatus.QUEUED, JobStatus.RUNNING):
            reason, code = GapReason.PROCESSING, None
        else:
            reason, code = GapReason.NOT_ANALYZED, None
        out.append(UncoveredFile(file.id, files_service.display_name(file), reason, code))
    return out
