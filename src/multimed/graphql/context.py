"""Per-request context: the caller, one read session closed with the request, and DataLoaders."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.dataloader import DataLoader
from strawberry.types import Info as StrawberryInfo

from multimed.auth.principal import Principal
from multimed.graphql import loaders
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


class SharedSession(AsyncSession):
    """An AsyncSession the resolvers and DataLoaders of one request share, one operation at a time.

    Sibling fields resolve concurrently and an AsyncSession (one connection) allows a single operation at a
    time, so each operation waits its turn. Results are buffered (`execute`, not `stream`), so a turn ends
    when the statement returns. A failed statement leaves the transaction aborted for everyone: the session
    then rolls back (forgetting, not expiring, what it loaded: no lazy load may follow) so the others go on.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._turn = asyncio.Lock()

    async def _one_at_a_time(self, operation: Any, *args: Any, **kwargs: Any) -> Any:
        async with self._turn:
            try:
                return await operation(*args, **kwargs)
            except DBAPIError:
                self.expunge_all()
                await super().rollback()
                raise

    async def execute(self, *args: Any, **kwargs: Any) -> Any:
        return await self._one_at_a_time(super().execute, *args, **kwargs)

    async def scalar(self, *args: Any, **kwargs: Any) -> Any:
        return await self._one_at_a_time(super().scalar, *args, **kwargs)

    async def scalars(self, *args: Any, **kwargs: Any) -> Any:
        return await self._one_at_a_time(super().scalars, *args, **kwargs)

    async def get(self, *args: Any, **kwargs: Any) -> Any:
        return await self._one_at_a_time(super().get, *args, **kwargs)

    async def get_one(self, *args: Any, **kwargs: Any) -> Any:
        return await self._one_at_a_time(super().get_one, *args, **kwargs)

    async def refresh(self, *args: Any, **kwargs: Any) -> None:
        await self._one_at_a_time(super().refresh, *args, **kwargs)

    async def flush(self, *args: Any, **kwargs: Any) -> None:
        await self._one_at_a_time(super().flush, *args, **kwargs)

    async def close(self) -> None:
        async with self._turn:
            await super().close()

    async def stream(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError("a shared read session serves buffered results only: use execute")

    async def stream_scalars(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError("a shared read session serves buffered results only: use scalars")


@dataclass
class Context:
    runtime: Runtime
    principal: Principal | None
    request_id: str | None
    request: Any = None
    response: Any = None
    # graphql-transport-ws: the connection_init payload ({"authorization": "Bearer …"}).
    connection_params: dict[str, Any] | None = None
    _session: SharedSession | None = field(default=None, init=False)
    # DataLoaders are made on first use: most requests need one or two of them, not all.

    @cached_property
    def user_by_id(self) -> DataLoader[uuid.UUID, User | None]:
        return DataLoader(load_fn=lambda ids: loaders.users_by_id(self, ids))

    @cached_property
    def job_by_file_id(self) -> DataLoader[uuid.UUID, Job | None]:
        return DataLoader(load_fn=lambda ids: loaders.jobs_by_file_id(self, ids))

    @cached_property
    def deid_report_by_file_id(self) -> DataLoader[uuid.UUID, DeidReport | None]:
        return DataLoader(load_fn=lambda ids: loaders.deid_reports_by_file_id(self, ids))

    @cached_property
    def text_by_file_id(self) -> DataLoader[uuid.UUID, ExtractedText | None]:
        return DataLoader(load_fn=lambda ids: loaders.texts_by_file_id(self, ids))

    @cached_property
    def dicom_by_file_id(self) -> DataLoader[uuid.UUID, DicomSummaryRow | None]:
        return DataLoader(load_fn=lambda ids: loaders.dicom_by_file_id(self, ids))

    @cached_property
    def file_by_id(self) -> DataLoader[uuid.UUID, MedicalFile | None]:
        return DataLoader(load_fn=lambda ids: loaders.files_by_id(self, ids))

    @cached_property
    def patient_by_id(self) -> DataLoader[uuid.UUID, Patient | None]:
        return DataLoader(load_fn=lambda ids: loaders.patients_by_id(self, ids))

    @cached_property
    def findings_by_summary_id(self) -> DataLoader[uuid.UUID, list[Finding]]:
        return DataLoader(load_fn=lambda ids: loaders.findings_by_summary_id(self, ids))

    @cached_property
    def findings_by_file_id(self) -> DataLoader[uuid.UUID, list[Finding]]:
        return DataLoader(load_fn=lambda ids: loaders.findings_by_file_id(self, ids))

    @cached_property
    def latest_summary_by_patient_id(self) -> DataLoader[uuid.UUID, Summary | None]:
        return DataLoader(load_fn=lambda ids: loaders.latest_summary_by_patient_id(self, ids))

    @cached_property
    def summary_by_job_id(self) -> DataLoader[uuid.UUID, Summary | None]:
        return DataLoader(load_fn=lambda ids: loaders.summary_by_job_id(self, ids))

    async def session(self) -> AsyncSession:
        """The request's read session, opened on first use and closed with the request (or `release`).

        One per request, shared by every resolver and DataLoader: a request holds at most one pooled
        connection, so a nested field never waits for a second one while the first is held (with a small
        pool that wait was a deadlock until the pool's timeout).
        """
        if self._session is None:
            self._session = SharedSession(**{**self.runtime.sessions.kw, "bind": self.runtime.read_engine})
        return self._session

    async def release(self) -> None:
        """Close the read session now, returning its connection; the next use opens another. Subscriptions
        call it after each event, so an idle WebSocket holds no connection."""
        session, self._session = self._session, None
        if session is not None:
            await session.close()

    @property
    def user(self) -> Principal:
        """The authenticated caller (permissions guarantee one exists where this is used)."""
        assert self.principal is not None
        return self.principal

    async def close(self) -> None:
        await self.release()


Info = StrawberryInfo[Context, None]
