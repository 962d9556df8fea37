"""Per-request context: the caller, one lazily opened read session, and DataLoaders."""

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
    from multimed.jobs.models import Job


@dataclass
class Context:
    runtime: Runtime
    principal: Principal | None
    request_id: str | None
    request: Any = None
    response: Any = None
    _session: AsyncSession | None = None
    _exit: AsyncExitStack = field(default_factory=AsyncExitStack)
    user_by_id: DataLoader[uuid.UUID, User | None] = field(init=False)
    job_by_file_id: DataLoader[uuid.UUID, Job | None] = field(init=False)

    def __post_init__(self) -> None:
        from multimed.graphql import loaders

        self.user_by_id = DataLoader(load_fn=lambda ids: loaders.users_by_id(self, ids))
        self.job_by_file_id = DataLoader(load_fn=lambda ids: loaders.jobs_by_file_id(self, ids))

    async def session(self) -> AsyncSession:
        """The request's read session, opened on first use and closed when the request ends."""
        if self._session is None:
            self._session = await self._exit.enter_async_context(self.runtime.sessions())
        return self._session

    @property
    def user(self) -> Principal:
        """The authenticated caller (permissions guarantee one exists where this is used)."""
        assert self.principal is not None
        return self.principal

    async def close(self) -> None:
        await self._exit.aclose()
        self._session = None


Info = StrawberryInfo[Context, None]
