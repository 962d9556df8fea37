"""Which file versions a summary covers: asked for, queued, waited on and summarized by this one rule."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from multimed.files import service as files_service
from multimed.files.models import MedicalFile
from multimed.summaries.errors import NothingToSummarize, UnknownFiles


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
