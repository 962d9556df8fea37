"""The summaries/findings caches on both stores (in-process LRU, real Redis) and both layers (pages of
rows; whole responses): a repeated query costs no SQL, a new summary or finding is seen by the very next
read, and nothing is shared across organizations or roles."""

from __future__ import annotations

import dataclasses
import os
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from redis.asyncio import Redis

from api.graphql_client import gql
from api.test_query_counts import seed_summaries, sql_statements
from factories.settings import make_settings
from factories.users import Org, make_org
from multimed.app import create_app
from multimed.auth.models import Role
from multimed.cache.memory_store import MemoryCacheStore
from multimed.cache.query_cache import QueryCache
from multimed.cache.redis_store import RedisCacheStore
from multimed.core.db import transaction
from multimed.core.pagination import Page
from multimed.extraction.models import ExtractedText
from multimed.files.models import MedicalFile
from multimed.observability.metrics import Metrics
from multimed.pipelines.analyze_file import analyze_file
from multimed.runtime import Runtime, build_runtime
from multimed.summaries import service as summaries_service
from multimed.summaries.models import Summary

REDIS_URL = os.environ.get("MULTIMED_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")

SUMMARIES = """
query($token: String) {
  summaries(filter: {patientToken: $token}) { totalCount edges { node { id version } } }
}
"""
FINDINGS = """
query($token: String) {
  findings(filter: {patientToken: $token}) { totalCount edges { node { id name severity } } }
}
"""


@dataclass
class Api:
    backend: str
    layer: str  # "pages" (response cache off) or "responses" (both on, the default)
    runtime: Runtime
    http: httpx.AsyncClient

    def label(self, query: str) -> str:
        """The metric label (and key part) of a cached `summaries` or `findings` query on this layer."""
        return query if self.layer == "pages" else "graphql-response"

    async def query(self, org: Org, role: Role, query: str, token: str | None) -> tuple[dict[str, Any], int]:
        """The response data and the number of SQL statements it cost."""
        with sql_statements(self.runtime.engine) as seen:
            body = await gql(self.http, query, {"token": token}, headers=org.headers(role))
        assert "errors" not in body, body
        return body["data"], len(seen)

    def counter(self, name: str, query: str) -> float:
        value = self.runtime.metrics.registry.get_sample_value(
            f"multimed_cache_{name}_total", {"query": query}
        )
        return value or 0.0


@pytest.fixture(scope="module", params=["memory-pages", "redis-pages", "memory-responses", "redis-responses"])
async def api(
    request: pytest.FixtureRequest,
    runtime: Runtime,
    tmp_path_factory: pytest.TempPathFactory,
    database_url: str,
) -> AsyncIterator[Api]:
    """A runtime of its own on the migrated test database, with the cache store under test; for Redis, a key
    prefix no other test uses, deleted afterwards."""
    backend, layer = request.param.split("-")
    prefix = f"multimed-test-cache-{uuid.uuid4().hex[:12]}"
    overrides: dict[str, object] = {"cache_prefix": prefix, "cache_responses": layer == "responses"}
    if backend == "redis":
        overrides["redis_url"] = REDIS_URL
    settings = make_settings(Path(tmp_path_factory.mktemp("cache")), database_url, **overrides)
    rt = await build_runtime(settings, migrate=False, bootstrap=False)
    expected = RedisCacheStore if backend == "redis" else MemoryCacheStore
    assert isinstance(rt.cache.store, expected)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=create_app(runtime=rt)), base_url="http://testserver"
    ) as http:
        yield Api(backend, layer, rt, http)
    if rt.redis is not None:
        keys = [key async for key in rt.redis.scan_iter(match=f"{prefix}:*")]
        if keys:
            await rt.redis.delete(*keys)
    await rt.close()


async def test_repeated_query_is_a_hit(api: Api) -> None:
    org = await make_org(api.runtime)
    [token] = await seed_summaries(api.runtime, org)
    hits = api.counter("hits", api.label("summaries"))

    first, cold = await api.query(org, Role.CLINICIAN, SUMMARIES, token)
    second, warm = await api.query(org, Role.CLINICIAN, SUMMARIES, token)

    assert first == second
    assert first["summaries"]["totalCount"] == 1
    assert cold == 1  # the page, its total and the patient by token in one statement
    assert warm == 0
    assert api.counter("hits", api.label("summaries")) == hits + 1


async def test_a_new_summary_is_read_at_once(api: Api) -> None:
    org = await make_org(api.runtime)
    [token] = await seed_summaries(api.runtime, org)
    await api.query(org, Role.CLINICIAN, SUMMARIES, token)
    cached, statements = await api.query(org, Role.CLINICIAN, SUMMARIES, token)
    assert statements == 0

    await seed_summaries(api.runtime, org, tokens=[token])
    after, statements = await api.query(org, Role.CLINICIAN, SUMMARIES, token)

    assert statements > 0
    assert [e["node"]["version"] for e in after["summaries"]["edges"]] == [2, 1]
    assert after["summaries"]["totalCount"] == cached["summaries"]["totalCount"] + 1


async def test_a_read_that_raced_a_write_is_never_served_after_it(api: Api) -> None:
    """A reader took the generation and read the old rows; the write committed and bumped; the reader then
    stored its stale page. The next reader must not get it."""
    org = await make_org(api.runtime)
    [token] = await seed_summaries(api.runtime, org)
    patient_id = await _patient_id(api.runtime, org, token)

    async def stale_load() -> Page[Summary]:
        async with api.runtime.sessions() as session:
            page = await summaries_service.list_summaries(
                session=session,
                organization_id=org.id,
                filter=summaries_service.SummaryFilter(patient_id=patient_id),
                first=20,
                after=None,
            )
        await seed_summaries(api.runtime, org, tokens=[token])  # commits, then bumps the generation
        return page

    # The key the summaries field uses: the service filter's fields, the page size and cursor.
    read_with = summaries_service.SummaryFilter(patient_token=token)
    arguments = {**dataclasses.asdict(read_with), "first": 20}
    stale = await api.runtime.cache.page(
        query="summaries",
        organization_id=org.id,
        role=Role.CLINICIAN.value,
        arguments={**arguments, "after": None},
        model=Summary,
        load=stale_load,
    )
    fresh, statements = await api.query(org, Role.CLINICIAN, SUMMARIES, token)

    assert stale.total == 1
    assert statements > 0
    assert fresh["summaries"]["totalCount"] == 2


async def test_organizations_do_not_share_pages(api: Api) -> None:
    # The same MRN gives the same token in every organization: only the key's organization separates them.
    one, other = await make_org(api.runtime), await make_org(api.runtime)
    [token] = await seed_summaries(api.runtime, one)
    await seed_summaries(api.runtime, other, tokens=[token], per_patient=2)

    mine, _ = await api.query(one, Role.CLINICIAN, SUMMARIES, token)
    theirs, statements = await api.query(other, Role.CLINICIAN, SUMMARIES, token)

    assert statements > 0
    assert (mine["summaries"]["totalCount"], theirs["summaries"]["totalCount"]) == (1, 2)
    assert not {e["node"]["id"] for e in mine["summaries"]["edges"]} & {
        e["node"]["id"] for e in theirs["summaries"]["edges"]
    }


async def test_roles_do_not_share_pages_and_are_authorized_every_time(api: Api) -> None:
    org = await make_org(api.runtime)
    [token] = await seed_summaries(api.runtime, org)
    clinician, _ = await api.query(org, Role.CLINICIAN, SUMMARIES, token)

    analyst, statements = await api.query(org, Role.ANALYST, SUMMARIES, token)
    denied = await gql(api.http, SUMMARIES, {"token": token}, headers=org.headers(Role.AUDITOR))

    assert statements > 0
    assert analyst == clinician
    assert denied["data"] is None
    assert [e["extensions"]["code"] for e in denied["errors"]] == ["FORBIDDEN"]


async def test_new_findings_are_read_at_once(api: Api) -> None:
    """The real ANALYZE pipeline invalidates after its commit."""
    org = await make_org(api.runtime)
    [token] = await seed_summaries(api.runtime, org)
    before, _ = await api.query(org, Role.ANALYST, FINDINGS, token)
    _, statements = await api.query(org, Role.ANALYST, FINDINGS, token)
    assert statements == 0
    file = await _new_lab_file(api.runtime, org, token, "Potassium 6.8 mmol/L (3.5-5.1) HH")

    await analyze_file(api.runtime, file_id=file.id, organization_id=org.id)
    after, statements = await api.query(org, Role.ANALYST, FINDINGS, token)

    assert statements > 0
    assert after["findings"]["totalCount"] == before["findings"]["totalCount"] + 1


async def test_keys_name_no_patient(api: Api) -> None:
    org = await make_org(api.runtime)
    [token] = await seed_summaries(api.runtime, org)
    await api.query(org, Role.CLINICIAN, SUMMARIES, token)
    if api.runtime.redis is None:
        keys = list(_memory_keys(api.runtime.cache))
    else:
        prefix = api.runtime.settings.cache_prefix
        keys = [k.decode() async for k in api.runtime.redis.scan_iter(match=f"{prefix}:page:{org.id}:*")]
    mine = [k for k in keys if str(org.id) in k]
    assert not [k for k in mine if token in k]
    # With whole responses cached, the rows' page is cached too (it serves non-cacheable selections).
    assert sorted(k.split(":")[-2] for k in mine) == sorted({"summaries", api.label("summaries")})
    for key in mine:
        assert key.split(":")[-5:-2] == [str(org.id), "1", "CLINICIAN"]


async def test_disabled_cache_always_reads_the_database(runtime: Runtime) -> None:
    cache = QueryCache(None, secret=b"k" * 32, ttl_seconds=60, metrics=Metrics())
    loads = 0

    async def load() -> Page[Summary]:
        nonlocal loads
        loads += 1
        return Page([], 0, False)

    for _ in range(2):
        await cache.page(
            query="summaries",
            organization_id=uuid.uuid4(),
            role="ADMIN",
            arguments={},
            model=Summary,
            load=load,
        )
    assert loads == 2


async def test_an_unreachable_redis_falls_back_to_the_database() -> None:
    redis = Redis.from_url("redis://127.0.0.1:1/0", socket_connect_timeout=0.5)
    cache = QueryCache(
        RedisCacheStore(redis, prefix="unused"), secret=b"k" * 32, ttl_seconds=60, metrics=Metrics()
    )
    org = uuid.uuid4()

    async def load() -> Page[Summary]:
        return Page([], 7, False)

    page = await cache.page(
        query="summaries", organization_id=org, role="ADMIN", arguments={}, model=Summary, load=load
    )
    await cache.invalidate(org)  # logged, not raised: the write it follows is committed
    await redis.aclose()

    assert page.total == 7


async def test_memory_store_evicts_least_recently_used_and_expired() -> None:
    now = [0.0]
    store = MemoryCacheStore(max_bytes=80, clock=lambda: now[0])
    await store.set("a", b"x" * 10, ttl_seconds=5)
    await store.set("b", b"x" * 10, ttl_seconds=100)
    await store.get("a")  # a is now the most recently used
    for i in range(7):  # 90 bytes: the least recently used (b) goes
        await store.set(f"fill{i}", b"x" * 10, ttl_seconds=100)
    await store.set("big", b"x" * 11, ttl_seconds=100)  # above an eighth of the budget: not kept

    assert (await store.get("b"), await store.get("big")) == (None, None)
    assert await store.get("a") == b"x" * 10
    assert store.size_bytes <= 80
    now[0] = 6.0
    assert await store.get("a") is None


def _memory_keys(cache: QueryCache) -> list[str]:
    assert isinstance(cache.store, MemoryCacheStore)
    return list(cache.store._entries)


async def _patient_id(runtime: Runtime, org: Org, token: str) -> uuid.UUID:
    from multimed.patients import service as patients_service

    async with runtime.sessions() as session:
        patient = await patients_service.get_by_token(session=session, organization_id=org.id, token=token)
    assert patient is not None
    return patient.id


async def _new_lab_file(runtime: Runtime, org: Org, token: str, text: str) -> MedicalFile:
    """A processed PDF of the patient: the file row and its de-identified extracted text."""
    patient_id = await _patient_id(runtime, org, token)
    async with transaction(runtime.sessions) as session:
        file = MedicalFile(
            organization_id=org.id,
            patient_id=patient_id,
            kind="PDF",
            content_type="application/pdf",
            size_bytes=len(text),
            sha256="1" * 64,
            blob_key=f"seed/{uuid.uuid4()}",
            wrapped_key=b"not-a-key",
            key_id="seed",
            version=1,
            logical_key=uuid.uuid4().hex,
            uploaded_by=org.users[Role.CLINICIAN].id,
        )
        session.add(file)
        await session.flush()
        session.add(
            ExtractedText(
                file_id=file.id,
                engine="seed",
                text=text,
                positions=[{"start": 0, "end": len(text), "page": 1}],
            )
        )
    return file


async def test_lookup_reads_the_generation_and_the_value_together(api: Api) -> None:
    store = api.runtime.cache.store
    assert store is not None
    org = uuid.uuid4()
    assert await store.lookup(org, f"t:{org}:", ":tail") == (f"t:{org}:0:tail", None)
    await store.set(f"t:{org}:0:tail", b"value", 60)
    assert await store.lookup(org, f"t:{org}:", ":tail") == (f"t:{org}:0:tail", b"value")
    await store.bump(org)
    assert await store.lookup(org, f"t:{org}:", ":tail") == (f"t:{org}:1:tail", None)
