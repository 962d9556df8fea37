"""Per-request context: the caller, read sessions closed with the request, and DataLoaders."""

from __future__ import annotations

import uuid
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.dataloader import DataLoader
from strawberry.types import Info as StrawberryInfo

from multimed.auth.principal import Principal
from multimed.runtime import Runtime

if TYPE_CHECKING:
    from multimed.auth.models import User
    from multimed.deid.models import DeidReport
    from multimed.extraction.models import DicomSummaryRow, ExtractedText
    from multimed.files.models import MedicalFile
    from multimed.findings.models import Finding
    from multimed.jobs.models import Job
    from multimed.patients.models import Patient
    from multimed.summaries.models import Summary


@dataclass
class Context:
    runtime: Runtime
    principal: Principal | None
    request_id: str | None
    request: Any = None
    response: Any = None
    # graphql-transport-ws: the connection_init payload ({"authorization": "Bearer …"}).
    connection_params: dict[str, Any] | None = None
    _exit: AsyncExitStack = field(default_factory=AsyncExitStack)
    user_by_id: DataLoader[uuid.UUID, User | None] = field(init=False)
    job_by_file_id: DataLoader[uuid.UUID, Job | None] = field(init=False)
    deid_report_by_file_id: DataLoader[uuid.UUID, DeidReport | None] = field(init=False)
    text_by_file_id: DataLoader[uuid.UUID, ExtractedText | None] = field(init=False)
    dicom_by_file_id: DataLoader[uuid.UUID, DicomSummaryRow | None] = field(init=False)
    file_by_id: DataLoader[uuid.UUID, MedicalFile | None] = field(init=False)
    patient_by_id: DataLoader[uuid.UUID, Patient | None] = field(init=False)
    findings_by_summary_id: DataLoader[uuid.UUID, list[Finding]] = field(init=False)
    findings_by_file_id: DataLoader[uuid.UUID, list[Finding]] = field(init=False)
    latest_summary_by_patient_id: DataLoader[uuid.UUID, Summary | None] = field(init=False)
    summary_by_job_id: DataLoader[uuid.UUID, Summary | None] = field(init=False)

    def __post_init__(self) -> None:
        from multimed.graphql import loaders

        self.user_by_id = DataLoader(load_fn=lambda ids: loaders.users_by_id(self, ids))
        self.job_by_file_id = DataLoader(load_fn=lambda ids: loaders.jobs_by_file_id(self, ids))
        self.deid_report_by_file_id = DataLoader(
            load_fn=lambda ids: loaders.deid_reports_by_file_id(self, ids)
        )
        self.text_by_file_id = DataLoader(load_fn=lambda ids: loaders.texts_by_file_id(self, ids))
        self.dicom_by_file_id = DataLoader(load_fn=lambda ids: loaders.dicom_by_file_id(self, ids))
        self.file_by_id = DataLoader(load_fn=lambda ids: loaders.files_by_id(self, ids))
        self.patient_by_id = DataLoader(load_fn=lambda ids: loaders.patients_by_id(self, ids))
        self.findings_by_summary_id = DataLoader(
            load_fn=lambda ids: loaders.findings_by_summary_id(self, ids)
        )
        self.findings_by_file_id = DataLoader(load_fn=lambda ids: loaders.findings_by_file_id(self, ids))
        self.latest_summary_by_patient_id = DataLoader(
            load_fn=lambda ids: loaders.latest_summary_by_patient_id(self, ids)
        )
        self.summary_by_job_id = DataLoader(load_fn=lambda ids: loaders.summary_by_job_id(self, ids))

    async def session(self) -> AsyncSession:
        """A read session closed when the request ends.

        Sibling fields resolve concurrently and an AsyncSession allows one operation at a time,
        so each call gets its own session; DataLoaders keep the number of calls per request small.
        """
        return await self._exit.enter_async_context(self.runtime.sessions())

    @property
    def user(self) -> Principal:
        """The authenticated caller (permissions guarantee one exists where this is used)."""
        assert self.principal is not None
        return self.principal

    async def close(self) -> None:
        await self._exit.aclose()


Info = StrawberryInfo[Context, None]
