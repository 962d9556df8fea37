"""jobProgress: a job's events from its current state to its end.

Each subscriber's first result, the job's state read from the database after the permission and organization
checks, is Strawberry's like any other. Over graphql-transport-ws the events after it come from the process's
shared feed (graphql/shared_feed.py): executed once per event for all of the job's subscribers that share a
selection and sent to each already encoded. Elsewhere (a test calling `schema.subscribe`), or for an event the
feed could not execute, each subscriber yields the event and Strawberry executes it, as it always did.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncGenerator, AsyncIterator, Callable
from datetime import datetime

import strawberry

from multimed.auth.policy import Permission
from multimed.core.errors import NotFound
from multimed.graphql.context import Info
from multimed.graphql.jobs.types import JobStageEnum, JobStatusEnum
from multimed.graphql.permissions import needs
from multimed.graphql.relay import to_global_id, uuid_of
from multimed.graphql.shared_feed import Member, Selection, SharedEvent, shared_feed
from multimed.graphql.ws_handler import OperationDelivery, current_delivery
from multimed.jobs import events
from multimed.jobs import service as jobs_service
from multimed.jobs.models import JobStage, JobStatus


@strawberry.type(description="A change of a job's status, stage or progress.")
class JobEvent:
    job_id: strawberry.ID
    status: JobStatusEnum  # type: ignore[valid-type]
    stage: JobStageEnum | None  # type: ignore[valid-type]
    progress: float
    message: str | None
    at: datetime

    @classmethod
    def of(cls, event: dict[str, object]) -> JobEvent:
        stage = event.get("stage")
        return cls(
            job_id=to_global_id("Job", str(event["jobId"])),
            status=JobStatus(str(event["status"])),
            stage=JobStage(str(stage)) if stage else None,
            progress=float(event["progress"]),  # type: ignore[arg-type]
            message=str(event["message"]) if event.get("message") is not None else None,
            at=datetime.fromisoformat(str(event["at"])),
        )


@strawberry.type
class JobSubscriptions:
    @strawberry.subscription(
        description="The job's state now, then every change until it ends (graphql-transport-ws).",
        extensions=needs(Permission.READ_FILES),
    )
    async def job_progress(self, info: Info, job_id: strawberry.ID) -> AsyncGenerator[JobEvent, None]:
        ctx = info.context
        key = uuid_of(job_id, "Job")
        delivery = current_delivery()
        # Listen first, then read: a change between the two is seen twice at worst, never missed.
        async with _listen(info, events.channel(key), delivery) as stream:
            async with ctx.runtime.sessions() as session:
                job = await jobs_service.get(
                    session=session, organization_id=ctx.user.organization_id, job_id=key
                )
            if job is None:
                raise NotFound("job not found", code="job_not_found")
            current = events.job_event(job)
            yield JobEvent.of(current)
            if job.status in events.FINISHED:
                return
            news = _News(current)
            if delivery is not None and isinstance(stream, Member):
                stream.direct = news.sender(delivery)  # most events: sent from the feed's loop
            async for shared in stream:
                event = shared.event
                if not news.take(event):
                    continue
                if shared.payload is not None and delivery is not None:
                    await delivery.send_next(shared.payload)  # executed once for every subscriber alike
                else:
                    if delivery is not None:
                        await delivery.sent()  # after what the feed's loop began sending
                    yield JobEvent.of(event)
                if event["status"] in events.FINISHED:
                    return


class _News:
    """Which of a job's events are news to one subscriber: not the state it has already been sent."""

    def __init__(self, current: dict[str, object]) -> None:
        self.message = current.get("message")
        self.last = _state(current)

    def is_news(self, event: dict[str, object]) -> bool:
        return _state(event) != self.last or event.get("message") != self.message

    def take(self, event: dict[str, object]) -> bool:
        """Whether `event` is news; if so, it is the subscriber's state from now on."""
        if not self.is_news(event):
            return False
        self.last = _state(event)
        return True

    def sender(self, delivery: OperationDelivery) -> Callable[[SharedEvent], bool]:
        """The feed's direct delivery for this subscriber: a shared payload that does not end the stream is
        sent without waking the subscriber's task; the rest (the last event, an event executed apart, a
        socket still busy with an earlier message) is left to the loop above (False)."""

        def send(shared: SharedEvent) -> bool:
            event = shared.event
            if shared.payload is None or event["status"] in events.FINISHED:
                return False
            if not self.is_news(event):
                return True
            if not delivery.send_next_nowait(shared.payload):
                return False
            self.last = _state(event)
            return True

        return send


def _state(event: dict[str, object]) -> tuple[object, object, object]:
    return event["status"], event["stage"], event["progress"]


@contextlib.asynccontextmanager
async def _listen(
    info: Info, channel: str, delivery: OperationDelivery | None
) -> AsyncIterator[AsyncIterator[SharedEvent]]:
    """The job's events: under the graphql-transport-ws handler, from the process's shared feed with the
    payload of this subscriber's selection executed once per event; elsewhere straight from the bus."""
    runtime = info.context.runtime
    if delivery is None:
        async with runtime.events.subscribe(channel) as messages:
            yield (SharedEvent(message, None) async for message in messages)
        return
    selection = Selection.of(info.schema, delivery.query, delivery.variables, delivery.operation_name)
    async with shared_feed(runtime, channel, selection, JobEvent.of) as member:
        yield member
