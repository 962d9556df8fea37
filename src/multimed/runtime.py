"""The composition root: settings, secrets, database, blob store and limiter, built once per process."""

from __future__ import annotations

import asyncio
import logging
import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from multimed import embedded, migrations
from multimed.auth import service as auth_service
from multimed.auth.ratelimit import MemoryRateLimiter, RateLimiter, RedisRateLimiter
from multimed.blobs.registry import create_blob_store, prepare_blob_store
from multimed.blobs.store import BlobStore
from multimed.cache.query_cache import QueryCache
from multimed.cache.registry import build_query_cache
from multimed.core.db import create_engine, session_factory, transaction
from multimed.core.keys import Secrets, load_secrets
from multimed.core.settings import Settings
from multimed.deid.policy import Policy, PolicyName, load_policy
from multimed.events.bus import EventBus, MemoryEventBus
from multimed.events.redis_bus import RedisEventBus
from multimed.jobs.queue import JobQueue
from multimed.ml.embeddings.base import SentenceEmbedder
from multimed.ml.ocr.base import OcrEngine
from multimed.ml.phi.base import PhiDetector
from multimed.ml.transcription.base import Transcriber
from multimed.observability.metrics import Metrics

if TYPE_CHECKING:
    from multimed.findings.labs.limits import CriticalLimits

log = logging.getLogger(__name__)
DEFAULT_ORGANIZATION = "Default organization"


@dataclass
class Runtime:
    settings: Settings
    secrets: Secrets
    database_url: str
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    blobs: BlobStore
    limiter: RateLimiter
    metrics: Metrics
    redis: Redis | None
    events: EventBus
    cache: QueryCache

    _jobs: JobQueue | None = None
    _read_engine: AsyncEngine | None = None

    @property
    def read_engine(self) -> AsyncEngine:
        """The same pool for read-only sessions, in autocommit: no BEGIN and ROLLBACK round trips around a
        request's reads (at READ COMMITTED each statement takes its own snapshot anyway), and the pool's
        pre-ping is one statement instead of three. Never for writes: they go through `transaction`."""
        if self._read_engine is None:
            self._read_engine = self.engine.execution_options(isolation_level="AUTOCOMMIT")
        return self._read_engine

    @property
    def jobs(self) -> JobQueue:
        """The queue committed jobs are handed to (set up by build_runtime)."""
        assert self._jobs is not None, "build_runtime sets the job queue"
        return self._jobs

    _phi_detector: PhiDetector | None = None
    _phi_lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    async def phi_detector(self) -> PhiDetector:
        """The PHI detector, loaded on first use in a thread (spaCy takes seconds), then shared."""
        from multimed.ml.phi.registry import build_phi_detector  # heavy: only where it is used

        async with self._phi_lock:
            if self._phi_detector is None:
                self._phi_detector = await asyncio.to_thread(build_phi_detector, self.settings.phi_detector)
        return self._phi_detector

    _ocr: OcrEngine | None = None

    async def ocr_engine(self) -> OcrEngine:
        """The OCR engine, loaded on first use, then shared (it serializes its own calls)."""
        from multimed.ml.ocr.registry import build_ocr_engine

        if self._ocr is None:
            self._ocr = await asyncio.to_thread(build_ocr_engine, self.settings.ocr_engine)
        return self._ocr

    _transcriber: Transcriber | None = None

    async def transcriber(self) -> Transcriber:
        """The speech-to-text engine, loaded on first use, then shared."""
        from multimed.ml.transcription.registry import build_transcriber

        if self._transcriber is None:
            self._transcriber = await asyncio.to_thread(
                build_transcriber, self.settings.transcription_engine, cache_dir=self.settings.models_dir
            )
        return self._transcriber

    _embedder: SentenceEmbedder | None = None

    async def embedder(self) -> SentenceEmbedder:
        """The sentence embedder of the note summarizer, loaded on first use (torch), then shared."""
        from multimed.ml.embeddings.registry import build_embedder

        if self._embedder is None:
            self._embedder = await asyncio.to_thread(build_embedder, self.settings.sentence_embedder)
        return self._embedder

    _limits: CriticalLimits | None = None

    def critical_limits(self) -> CriticalLimits:
        """The critical-value table: the hospital's (settings) or the packaged default, read once."""
        from multimed.findings.labs.limits import load_critical_limits

        if self._limits is None:
            self._limits = load_critical_limits(self.settings.critical_limits_path)
        return self._limits

    def models_loaded(self) -> dict[str, bool]:
        """Which models this process has loaded (they load on first use)."""
        return {
            "phi_detector": self._phi_detector is not None,
            "ocr": self._ocr is not None,
            "transcriber": self._transcriber is not None,
            "embedder": self._embedder is not None,
        }

    @property
    def deid_policy(self) -> Policy:
        return load_policy(PolicyName(self.settings.deid_policy))

    @property
    def token_settings(self) -> auth_service.TokenSettings:
        s = self.settings
        return auth_service.TokenSettings(
            self.secrets.jwt,
            s.access_token_ttl_seconds,
            s.refresh_token_ttl_seconds,
            s.jwt_issuer,
            s.jwt_audience,
        )

    async def close(self) -> None:
        if self._jobs is not None:
            await self._jobs.close()
        await self.events.close()
        await self.blobs.close()
        await self.engine.dispose()
        if self.redis is not None:
            await self.redis.aclose()
        if not self.settings.database_url:
            await asyncio.to_thread(embedded.stop_embedded_postgres)


async def resolve_database_url(settings: Settings) -> str:
    """The configured server, or the embedded one (started here) when none is configured."""
    if settings.database_url:
        return settings.database_url
    maintenance = embedded.start_embedded_postgres(settings.pgdata_dir)
    return await embedded.ensure_database(maintenance)


async def build_runtime(
    settings: Settings, *, migrate: bool = True, bootstrap: bool = True, metrics: Metrics | None = None
) -> Runtime:
    """Everything a process needs; applies migrations and creates the first admin when asked."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    secrets = load_secrets(settings)
    url = await resolve_database_url(settings)
    if migrate:
        await migrations.upgrade(url)
    engine = create_engine(url, pool_size=settings.db_pool_size, max_overflow=settings.db_max_overflow)
    blobs = create_blob_store(settings, secrets.master)
    await prepare_blob_store(blobs)
    redis = Redis.from_url(settings.redis_url) if settings.redis_url else None
    limiter: RateLimiter = RedisRateLimiter(redis) if redis is not None else MemoryRateLimiter()
    # With Redis, events cross processes (API replicas, workers); without it, one process is the whole system.
    events: EventBus = RedisEventBus(redis) if redis is not None else MemoryEventBus()
    metrics = metrics or Metrics()  # one registry for the cache counters and the HTTP metrics
    runtime = Runtime(
        settings,
        secrets,
        url,
        engine,
        session_factory(engine),
        blobs,
        limiter,
        metrics or Metrics(),
        redis,
        events,
        build_query_cache(settings, secrets=secrets, redis=redis, metrics=metrics),
    )
    # The worker runs pipelines, which use Runtime: imported here, not at the top.
    if settings.job_runner == "celery":
        from multimed.worker.celery_queue import CeleryQueue

        runtime._jobs = CeleryQueue(runtime)
    else:
        from multimed.worker.inprocess import InProcessQueue

        runtime._jobs = InProcessQueue(runtime, concurrency=settings.job_concurrency)
    if settings.critical_limits_path is not None:
        runtime.critical_limits()  # a hospital's table that cannot be read stops the start, not a job
    if bootstrap:
        await bootstrap_first_admin(runtime)
    return runtime


async def bootstrap_first_admin(runtime: Runtime) -> None:
    """On a fresh installation create `admin`; a generated password is printed once, never logged."""
    password = runtime.settings.admin_password.get_secret_value() if runtime.settings.admin_password else None
    async with transaction(runtime.sessions) as session:
        created = await auth_service.bootstrap_admin(
            session=session, organization_name=DEFAULT_ORGANIZATION, password=password
        )
    if created is not None:
        _, generated = created
        if generated:
            print(
                f"\nCreated the first user 'admin' with password: {generated}\n"
                "It is shown only this once. Set MULTIMED_ADMIN_PASSWORD to choose it.\n",
                file=sys.stderr,
                flush=True,
            )
        else:
            print(
                "\nCreated the first user 'admin' with the password from MULTIMED_ADMIN_PASSWORD.\n",
                file=sys.stderr,
                flush=True,
            )
