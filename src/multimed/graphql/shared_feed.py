"""Subscription fan-out: one listener per channel per process, one execution per event per selection.

The subscribers of one channel in this process (jobProgress: the dashboards watching one job) share a
`SharedFeed`. It listens on the channel once, and for each event executes each distinct `Selection`
(schema, document, variables, operation name) once through the schema, with Strawberry's extensions, error
codes and masking, and encodes that `next` payload once. Every subscriber then gets the event and the
encoded payload, and decides for itself whether and when to send it (duplicate states, the end of the
stream). A subscriber that is waiting for its next event may take it `direct`ly, in the feed's loop: its
task is not woken, and the cost per subscriber is a call, its framing and its socket write. Otherwise (its
task is still busy with an earlier event, or the subscriber leaves this event to its task) the event goes on
its queue, in order.

The shared execution runs without a caller (a context without principal): a result sent to many users must
not depend on any one of them, and only subscriptions whose per-event fields read nothing but the event may
use a feed. Who may listen is decided per subscriber when it subscribes, as before.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import logging
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

import orjson
from strawberry.types.execution import ExecutionResult
from strawberry.types.graphql import OperationType

from multimed.events.bus import QUEUE_LIMIT, EventBus, Message
from multimed.graphql.context import Context

if TYPE_CHECKING:
    from strawberry.schema import BaseSchema

    from multimed.runtime import Runtime

log = logging.getLogger(__name__)
SUBSCRIPTION_ONLY = (OperationType.SUBSCRIPTION,)
RootOf = Callable[[Message], object]


@dataclass(frozen=True)
class Selection:
    """What a subscriber asked for; subscribers with equal selections receive identical payloads."""

    schema: BaseSchema  # compared by identity: two apps in one process may hold different schemas
    query: str
    variables_key: bytes  # the variables as canonical JSON
    operation_name: str | None
    variables: dict[str, Any] | None = field(compare=False)

    @classmethod
    def of(
        cls, schema: BaseSchema, query: str, variables: dict[str, Any] | None, operation_name: str | None
    ) -> Selection:
        key = orjson.dumps(variables or {}, option=orjson.OPT_SORT_KEYS)
        return cls(schema, query, key, operation_name, variables)


@dataclass(frozen=True, slots=True)
class SharedEvent:
    event: Message
    payload: bytes | None  # the encoded `next` payload; None: not shared, the subscriber executes it itself


class FeedStopped(RuntimeError):
    """The feed's listener ended (the bus failed): its subscribers cannot hear any more events."""


Direct = Callable[[SharedEvent], bool]


class Member:
    """One subscriber's place in a feed: a bounded queue (a reader that falls behind loses the oldest), and
    optionally a `direct` way to hand it an event from the feed's loop, without waking its task."""

    def __init__(self, selection: Selection) -> None:
        self.selection = selection
        self.direct: Direct | None = None
        self._queue: asyncio.Queue[SharedEvent | None] = asyncio.Queue(QUEUE_LIMIT)
        self._idle = False  # the reader waits for the next event, done with every earlier one

    def offer(self, item: SharedEvent) -> None:
        """Hand `item` to `direct` if the reader is idle (so it stays in order) and `direct` takes it, else
        queue it for the reader. `direct(item)` returns False to leave the item to the reader."""
        if self.direct is not None and self._idle and self._queue.empty():
            try:
                if self.direct(item):
                    return
            except Exception as exc:  # the reader meets it on its own path, and ends as it would there
                log.debug("direct delivery failed", extra={"error_type": type(exc).__name__})
        self.push(item)

    def push(self, item: SharedEvent | None) -> None:
        if self._queue.full():
            self._queue.get_nowait()
        self._queue.put_nowait(item)

    def __aiter__(self) -> Member:
        return self

    async def __anext__(self) -> SharedEvent:
        self._idle = True
        try:
            item = await self._queue.get()
        finally:
            self._idle = False
        if item is None:
            raise FeedStopped("the event feed stopped")
        return item


class SharedFeed:
    """One channel's listener in this process and its members."""

    def __init__(self, bus: EventBus, channel: str, runtime: Runtime, root_of: RootOf) -> None:
        self.channel = channel
        self.members: set[Member] = set()
        self.executions = 0
        self.stopped = False
        self._bus = bus
        self._runtime = runtime
        self._root_of = root_of
        self._listening = asyncio.Event()
        # A context of its own: not the first subscriber's (its request id, its operation).
        self._reader = asyncio.get_running_loop().create_task(
            self._read(), name=f"shared feed {channel}", context=contextvars.Context()
        )

    async def listening(self) -> None:
        """Return once an event published from now on reaches the members (FeedStopped if it never will)."""
        await self._listening.wait()
        if self.stopped:
            raise FeedStopped("the event feed could not listen")

    async def close(self) -> None:
        self._reader.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._reader

    async def _read(self) -> None:
        try:
            async with self._bus.subscribe(self.channel) as stream:
                self._listening.set()
                async for event in stream:
                    await self._dispatch(event)
        except Exception as exc:  # the bus failed: the members end with an error rather than wait forever
            log.error("shared feed stopped", extra={"error_type": type(exc).__name__})
        finally:
            self.stopped = True
            self._listening.set()
            for member in self.members:
                member.push(None)

    async def _dispatch(self, event: Message) -> None:
        members = list(self.members)  # who listened when the event came; a later one reads the state after it
        if not members:
            return
        try:
            root = self._root_of(event)
        except Exception:  # a malformed event: each subscriber meets and reports it on its own path
            root = None
        payloads: dict[Selection, bytes | None] = {}
        for member in members:
            selection = member.selection
            if selection not in payloads:
                payloads[selection] = None if root is None else await self._execute(selection, root)
            member.offer(SharedEvent(event, payloads[selection]))

    async def _execute(self, selection: Selection, root: object) -> bytes | None:
        """The selection executed once on `root`, encoded as a `next` payload; None if it could not run."""
        context = Context(runtime=self._runtime, principal=None, request_id=None)
        try:
            result = await selection.schema.execute(
                selection.query,
                selection.variables,
                context_value=context,
                root_value=root,
                operation_name=selection.operation_name,
                allowed_operation_types=SUBSCRIPTION_ONLY,
            )
        except Exception as exc:  # each subscriber then executes the event itself, as without a feed
            log.error("shared execution failed", extra={"error_type": type(exc).__name__})
            return None
        finally:
            await context.close()
        self.executions += 1
        return orjson.dumps(next_payload(result))


def next_payload(result: ExecutionResult) -> dict[str, object]:
    """A result as Strawberry's graphql-transport-ws `next` message carries it (`Operation.send_next`)."""
    payload: dict[str, object] = {"data": result.data}
    if result.errors:
        payload["errors"] = [error.formatted for error in result.errors]
    if result.extensions:
        payload["extensions"] = result.extensions
    return payload


_feeds: WeakKeyDictionary[EventBus, dict[str, SharedFeed]] = WeakKeyDictionary()


def feed_of(bus: EventBus, channel: str) -> SharedFeed | None:
    """The live feed of a channel in this process, if any subscriber holds one."""
    return _feeds.get(bus, {}).get(channel)


@contextlib.asynccontextmanager
async def shared_feed(
    runtime: Runtime, channel: str, selection: Selection, root_of: RootOf
) -> AsyncIterator[Member]:
    """`async with shared_feed(...) as events:` — like `bus.subscribe`, listening once this is entered, but
    each event arrives with its payload for `selection`, executed once for every member that shares it."""
    feeds = _feeds.setdefault(runtime.events, {})
    feed = feeds.get(channel)
    if feed is None or feed.stopped:
        feed = feeds[channel] = SharedFeed(runtime.events, channel, runtime, root_of)
    member = Member(selection)
    feed.members.add(member)
    try:
        await feed.listening()
        yield member
    finally:
        feed.members.discard(member)
        if not feed.members:
            if feeds.get(channel) is feed:
                del feeds[channel]
            await feed.close()
