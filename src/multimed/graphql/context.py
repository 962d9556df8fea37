"""Per-request context: the caller, one read session closed with the request, and DataLoaders."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.dataloader import DataLoader
from strawberry.types import Info as StrawberryInfo

from multimed.auth.principal import Principal
from multimed.graphql import loaders
from multimed.runtime import Runtime


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
        self._queued = 0  # operations waiting for their turn or running

    async def _one_at_a_time(self, operation: Any, *args: Any, **kwargs: Any) -> Any:
        self._queued += 1
        try:
            async with self._turn:
                try:
                    return await operation(*args, **kwargs)
                except DBAPIError:
                    self.expunge_all()
                    await super().rollback()
                    raise
                finally:
                    if self._queued == 1:
                        await self._release_connection()
        finally:
            self._queued -= 1

    async def _release_connection(self) -> None:
        """Nothing else waits for a turn: the connection goes back to the pool now, not when the request
        ends. Held through completion and the response's send, a page of summaries kept it many times
        longer than its statement took, so 25 requests in flight outgrew a 20-connection pool and every
        burst opened overflow connections (a TLS attempt, a new server backend, statements prepared again)
        and closed them. The read engine autocommits, so this ends no transaction; loaded objects stay
        usable (detached, as after the request)."""
        await super().close()

    async def execute(self, *args: Any, **kwargs: Any) -> Any:
        return await self._one_at_a_time(super().execute, *args, **kwargs)

    async def scalar(self, *args: Any, **kwargs: Any) -> Any:
        return await self._one_at_a_time(super().scalar, *args, **kwargs)

    # `scalars` is not wrapped: AsyncSession's calls `self.execute`, which waits its turn; wrapped too, it
    # waited for the turn it held itself, forever.

    async def get(self, *args: Any, **kwargs: Any) -> Any:
        return await self._one_at_a_time(super().get, *args, **kwargs)

    async def get_one(self, *args: Any, **kwargs: Any) -> Any:
        return await self._one_at_a_time(super().get_one, *args, **kwargs)

    async def refresh(self, *args: Any, **kwargs: Any) -> None:
        raise NotImplementedError("a shared read session lets objects go after each statement: load again")

    async def flush(self, *args: Any, **kwargs: Any) -> None:
        raise NotImplementedError("a shared read session only reads: write in a transaction (core.db)")

    async def close(self) -> None:
        async with self._turn:
            await super().close()

    async def stream(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError("a shared read session serves buffered results only: use execute")

    async def stream_scalars(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError("a shared read session serves buffered results only: use scalars")


K = TypeVar("K")
V = TypeVar("V")


class OnFirstUse(Generic[K, V]):
    """A per-request DataLoader attribute, made the first time a resolver reads it and kept on the context
    (a non-data descriptor: the instance's own attribute shadows it from then on)."""

    def __init__(self, batch: Callable[[Context, Sequence[K]], Awaitable[list[V]]]) -> None:
        self.batch = batch

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, context: Context, owner: type | None = None) -> DataLoader[K, V]:
        batch = self.batch
        loader: DataLoader[K, V] = DataLoader(load_fn=lambda ids: batch(context, ids))
        context.__dict__[self.name] = loader
        return loader


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
    user_by_id = OnFirstUse(loaders.users_by_id)
    job_by_file_id = OnFirstUse(loaders.jobs_by_file_id)
    deid_report_by_file_id = OnFirstUse(loaders.deid_reports_by_file_id)
    text_by_file_id = OnFirstUse(loaders.texts_by_file_id)
    dicom_by_file_id = OnFirstUse(loaders.dicom_by_file_id)
    file_by_id = OnFirstUse(loaders.files_by_id)
    patient_by_id = OnFirstUse(loaders.patients_by_id)
    findings_by_summary_id = OnFirstUse(loaders.findings_by_summary_id)
    findings_by_file_id = OnFirstUse(loaders.findings_by_file_id)
    latest_summary_by_patient_id = OnFirstUse(loaders.latest_summary_by_patient_id)
    summary_by_job_id = OnFirstUse(loaders.summary_by_job_id)

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
        # A loader's batch function refers to this context: dropping the loaders here frees them (and the
        # rows they cached) by reference counting instead of leaving a cycle for the collector.
        for name in [n for n, value in vars(self).items() if isinstance(value, DataLoader)]:
            del self.__dict__[name]


Info = StrawberryInfo[Context, None]
