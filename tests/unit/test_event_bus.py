"""Both event buses: every listener of a channel gets each message once; Redis shares one subscription."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis

from multimed.events.bus import EventBus, MemoryEventBus
from multimed.events.redis_bus import RedisEventBus


@pytest.fixture(params=["memory", "redis"])
async def bus(request: pytest.FixtureRequest) -> AsyncIterator[EventBus]:
    if request.param == "memory":
        yield MemoryEventBus()
        return
    redis = Redis.from_url("redis://127.0.0.1:6379/0")
    bus = RedisEventBus(redis)
    yield bus
    await bus.close()
    await redis.aclose()


async def _next(stream: AsyncIterator[dict[str, object]]) -> dict[str, object]:
    return await asyncio.wait_for(anext(stream), timeout=5)


async def test_every_listener_gets_each_message_and_leaving_is_clean(bus: EventBus) -> None:
    channel = f"test:{uuid.uuid4()}"
    async with bus.subscribe(channel) as first:
        async with bus.subscribe(channel) as second:
            await bus.publish(channel, {"n": 1})
            assert await _next(first) == {"n": 1}
            assert await _next(second) == {"n": 1}
        await bus.publish(channel, {"n": 2})
        assert await _next(first) == {"n": 2}
    async with bus.subscribe(channel) as again:  # subscribing after everyone left works
        await bus.publish(channel, {"n": 3})
        assert await _next(again) == {"n": 3}


async def test_channels_do_not_mix(bus: EventBus) -> None:
    a, b = f"test:{uuid.uuid4()}", f"test:{uuid.uuid4()}"
    async with bus.subscribe(a) as on_a, bus.subscribe(b) as on_b:
        await bus.publish(b, {"to": "b"})
        await bus.publish(a, {"to": "a"})
        assert await _next(on_a) == {"to": "a"}
        assert await _next(on_b) == {"to": "b"}


async def test_redis_carries_messages_between_two_processes_buses() -> None:
    redis_one, redis_two = (
        Redis.from_url("redis://127.0.0.1:6379/0"),
        Redis.from_url("redis://127.0.0.1:6379/0"),
    )
    api, worker = RedisEventBus(redis_one), RedisEventBus(redis_two)
    channel = f"test:{uuid.uuid4()}"
    try:
        async with api.subscribe(channel) as stream:
            await worker.publish(channel, {"status": "RUNNING"})
            assert await _next(stream) == {"status": "RUNNING"}
    finally:
        await api.close()
        await worker.close()
        await redis_one.aclose()
        await redis_two.aclose()
