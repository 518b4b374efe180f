"""Consumes events in batches: the records a poll returns for a partition are applied in one
database transaction (their inbox rows claimed in one statement, then each new event's handler
in offset order), and the partition's offsets are committed only after it. If anything in the
batch fails, it is rolled back and its events are applied one by one, each in a transaction of
its own: failures retried with backoff, poison events set aside on a dead-letter topic with the
error so the partition keeps flowing, exactly as if there had been no batch.

A record whose `ce_type` header names an event this group has no handler for is skipped before
its envelope is parsed (most of a shared topic is other groups' events). An event whose
`ce_source` is not the service that owns its topic is dead-lettered unapplied: the broker lets
only the owner write there, and this check keeps a forged header from speaking for another
service."""

from __future__ import annotations

import asyncio
import logging
import traceback
from collections.abc import Awaitable, Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar

from aiokafka import AIOKafkaProducer, ConsumerRecord
from aiokafka.errors import CommitFailedError, IllegalStateError, KafkaError
from google.protobuf.message import DecodeError, Message
from opentelemetry import context as otel_context
from opentelemetry import trace
from sqlalchemy import Table, text
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.ext.asyncio import AsyncSession

from messaging.envelope import Envelope, MalformedEnvelope
from messaging.events import dead_letter_topic, event_type, source_of, topic_of, topic_owner
from messaging.faults import fault_point
from messaging.inbox import claim, claim_all
from messaging.kafka import KafkaAccess, make_consumer
from servicekit.context import acting
from servicekit.db import Database
from servicekit.telemetry import extract_trace_context

log = logging.getLogger(__name__)

M = TypeVar("M", bound=Message)

# The most records one poll (and so one batch transaction) takes: large enough to amortize the
# transaction, small enough that a failed batch replayed one by one stays short.
MAX_BATCH = 200
# session.info key set in a batch's transaction. A handler that takes locks in a global order
# (so transactions never wait on each other in a cycle) cannot keep that order across the
# events of a batch: it should only try its locks there, and raise BatchConflict when one is
# taken, so the batch is replayed one event per transaction instead of deadlocking others.
IN_BATCH = "messaging.consumer.in_batch"
# A batch holds the locks of its earlier events while it takes the next ones, so it may close a
# cycle with a transaction that takes the same locks in another order. It gives up waiting long
# before PostgreSQL's deadlock check (1 s) could pick that other transaction as the victim, and
# is replayed one event per transaction (as without batches).
_BATCH_LOCK_TIMEOUT = text("SET LOCAL lock_timeout = '50ms'")
_LOCK_NOT_AVAILABLE = "55P03"


class BatchConflict(Exception):
    """A handler in a batch met a lock another transaction holds: replay the batch one by one."""


@dataclass(frozen=True)
class Subscription(Generic[M]):
    """Which handler applies which event type; the handler runs in the inbox's transaction,
    which it may share with the other events of a batch (so it must not commit or end it)."""

    message: type[M]
    handler: Callable[[AsyncSession, M, Envelope], Awaitable[None]]
    # Told, in a transaction of its own once the dead letter is durable, that the handler
    # failed for good (`reason`): the service records the step as stalled where people see it.
    on_dead_letter: Callable[[AsyncSession, M, Envelope, str], Awaitable[None]] | None = None


class PoisonEvent(Exception):
    """An event that can never be applied: it goes to the dead-letter topic without retries."""


@dataclass(frozen=True)
class Decoded:
    """A record ready to apply: its envelope, its decoded message and the handler for it."""

    record: ConsumerRecord
    envelope: Envelope
    message: Message
    subscription: Subscription[Any]


def _lock_not_available(error: Exception) -> bool:
    """PostgreSQL gave up waiting for a lock (lock_timeout)."""
    return isinstance(error, DBAPIError) and (
        getattr(error.orig, "sqlstate", None) == _LOCK_NOT_AVAILABLE
        or getattr(getattr(error.orig, "__cause__", None), "sqlstate", None) == _LOCK_NOT_AVAILABLE
    )


def _is_transient(error: Exception) -> bool:
    """Infrastructure trouble: retry without limit instead of dead-lettering good events."""
    if isinstance(error, OperationalError | OSError | TimeoutError):
        return True
    return isinstance(error, DBAPIError) and error.connection_invalidated


def type_header(headers: Sequence[tuple[str, bytes]]) -> bytes | None:
    """The raw `ce_type` header (the last one, as the envelope reads it), or None."""
    found = None
    for name, value in headers:
        if name == "ce_type":
            found = value
    return found


class EventConsumer:
    def __init__(
        self,
        *,
        kafka: KafkaAccess,
        group_id: str,
        subscriptions: list[Subscription[Any]],
        database: Database,
        inbox: Table,
        producer: AIOKafkaProducer,
        namespace: str = "",
        attempts: int = 3,
        backoff_seconds: float = 0.1,
        max_batch: int = MAX_BATCH,
    ) -> None:
        self.kafka = kafka
        self.namespace = namespace
        self.group_id = group_id
        self.handlers: Mapping[str, Subscription[Any]] = {
            event_type(s.message): s for s in subscriptions
        }
        # compared with the raw header, so a skipped record's headers are never decoded
        self._handled_types = frozenset(t.encode() for t in self.handlers)
        self.topics = sorted({namespace + topic_of(s.message) for s in subscriptions})
        self.database = database
        self.inbox = inbox
        self.producer = producer
        self.attempts = attempts
        self.backoff_seconds = backoff_seconds
        self.max_batch = max_batch
        self._tracer = trace.get_tracer("messaging.consumer")

    async def run(self) -> None:
        consumer = make_consumer(self.kafka, self.group_id, self.topics)
        await consumer.start()
        try:
            while True:
                batches = await consumer.getmany(timeout_ms=500, max_records=self.max_batch)
                for partition, records in batches.items():
                    await self.process_batch(records)
                    fault_point("consumer.after_commit")
                    try:
                        await consumer.commit({partition: records[-1].offset + 1})
                    except (CommitFailedError, IllegalStateError) as error:
                        # The partition moved to another replica mid-batch: it will redeliver
                        # these records, and the inbox makes the second delivery a no-op.
                        log.warning("offsets not committed after a rebalance: %s", error)
        finally:
            await consumer.stop()

    async def process_batch(self, records: Sequence[ConsumerRecord]) -> None:
        """Applies or dead-letters every record (one partition's, in offset order); returns once
        all of that is durable."""
        ready = [item for r in records if (item := await self._prepare(r)) is not None]
        if not ready:
            return
        try:
            await self._apply_batch(ready)
        except Exception as error:
            # Nothing of the batch stayed: one by one, the events before the failing one are
            # applied and the failing one is retried or dead-lettered as it would be alone.
            if isinstance(error, BatchConflict) or _lock_not_available(error):
                log.info("batch of %d events met a lock; applying one by one", len(ready))
            else:
                log.warning("batch of %d events failed (%s); one by one", len(ready), error)
            for item in ready:
                await self._apply_one(item)

    async def process(self, record: ConsumerRecord) -> None:
        """Applies one record in a transaction of its own, or dead-letters it; returns once
        either is durable."""
        item = await self._prepare(record)
        if item is not None:
            await self._apply_one(item)

    async def _prepare(self, record: ConsumerRecord) -> Decoded | None:
        """The record decoded for its handler; None when it is another group's event or was
        dead-lettered (malformed, forged or undecodable)."""
        kind = type_header(record.headers)
        if kind is not None and kind not in self._handled_types:
            return None  # another consumer's event on a shared topic
        try:
            envelope = Envelope.from_record(record.topic, record.key, record.value, record.headers)
        except MalformedEnvelope as error:
            await self._dead_letter(record, f"malformed envelope: {error}")
            return None
        subscription = self.handlers.get(envelope.type)
        if subscription is None:
            return None  # unreachable after the header check; kept for the type checker
        owner = source_of(topic_owner(record.topic.removeprefix(self.namespace)))
        if envelope.source != owner:
            await self._dead_letter(
                record, f"ce_source {envelope.source!r} is not {owner!r}, the topic's owner"
            )
            return None
        try:
            message = subscription.message.FromString(envelope.body)
        except DecodeError as error:
            await self._dead_letter(record, f"undecodable {envelope.type} body: {error}")
            return None
        return Decoded(record, envelope, message, subscription)

    async def _apply_batch(self, items: Sequence[Decoded]) -> None:
        """Every event of `items` not applied before, in one transaction, in order."""
        async with self.database.transaction() as session:
            session.info[IN_BATCH] = True
            await session.execute(_BATCH_LOCK_TIMEOUT)
            claims = [(i.envelope.event_id, i.envelope.type) for i in items]
            fresh = await claim_all(session, self.inbox, self.group_id, claims)
            for item in items:
                envelope = item.envelope
                if envelope.event_id not in fresh:
                    log.info("skipping redelivered %s %s", envelope.type, envelope.event_id)
                    continue
                fresh.discard(envelope.event_id)  # a copy later in the same batch is a no-op
                with self._handling(envelope):
                    await item.subscription.handler(session, item.message, envelope)

    async def _apply_one(self, item: Decoded) -> None:
        subscription, message, envelope = item.subscription, item.message, item.envelope
        failures = 0
        while True:
            try:
                await self._apply(subscription, message, envelope)
                return
            except Exception as error:
                if _is_transient(error):
                    log.warning("transient failure on %s, retrying: %s", envelope.event_id, error)
                    await asyncio.sleep(min(5.0, self.backoff_seconds * 2 ** min(failures, 6)))
                    continue
                failures += 1
                if isinstance(error, PoisonEvent) or failures >= self.attempts:
                    log.exception("dead-lettering %s %s", envelope.type, envelope.event_id)
                    reason = "".join(traceback.format_exception_only(error)).strip()
                    await self._dead_letter(item.record, reason)
                    await self._tell_stalled(subscription, message, envelope, str(error) or reason)
                    return
                await asyncio.sleep(self.backoff_seconds * 2 ** (failures - 1))

    async def _apply(
        self, subscription: Subscription[Any], message: Message, envelope: Envelope
    ) -> None:
        with self._handling(envelope):
            async with self.database.transaction() as session:
                if not await claim(
                    session, self.inbox, self.group_id, envelope.event_id, envelope.type
                ):
                    log.info("skipping redelivered %s %s", envelope.type, envelope.event_id)
                    return
                await subscription.handler(session, message, envelope)

    @contextmanager
    def _handling(self, envelope: Envelope) -> Iterator[None]:
        """The event's trace (continued from its producer) and its actor, for one handler call."""
        token = otel_context.attach(extract_trace_context(envelope.trace_headers))
        try:
            with (
                self._tracer.start_as_current_span(
                    f"consume {envelope.type}", kind=trace.SpanKind.CONSUMER
                ),
                acting(envelope.actor, envelope.correlation_id, envelope.event_id),
            ):
                yield
        finally:
            otel_context.detach(token)

    async def _tell_stalled(
        self, subscription: Subscription[Any], message: Message, envelope: Envelope, reason: str
    ) -> None:
        """The subscription's on_dead_letter, once; its failure is logged, never blocking."""
        if subscription.on_dead_letter is None:
            return
        try:
            with acting(envelope.actor, envelope.correlation_id, envelope.event_id):
                async with self.database.transaction() as session:
                    await subscription.on_dead_letter(session, message, envelope, reason)
        except Exception:
            log.exception("recording %s %s as stalled failed", envelope.type, envelope.event_id)

    async def _dead_letter(self, record: ConsumerRecord, reason: str) -> None:
        headers = [
            *[(k, v) for k, v in record.headers if not k.startswith("dlq_")],
            ("dlq_error", reason.encode()),
            ("dlq_consumer", self.group_id.encode()),
            ("dlq_original_topic", record.topic.encode()),
            ("dlq_original_partition", str(record.partition).encode()),
            ("dlq_original_offset", str(record.offset).encode()),
            ("dlq_time", datetime.now(UTC).isoformat().encode()),
        ]
        # The offset moves past a poison event only once its dead letter is durable.
        while True:
            try:
                await self.producer.send_and_wait(
                    dead_letter_topic(record.topic),
                    value=record.value,
                    key=record.key,
                    headers=headers,
                )
                return
            except KafkaError as error:
                log.warning("dead letter not written yet (%s); retrying", error)
                await asyncio.sleep(1.0)
