"""Consumes events in batches: a poll's records of a partition are applied in one transaction
(inbox rows claimed in one statement, then each new event's handler in offset order), and their
offsets are committed only after it (messaging.partitions). If anything in the batch fails, it
is rolled back and its events applied one by one, each in a transaction of its own: failures
retried with backoff, poison events set aside on a dead-letter topic with the error so the
partition keeps flowing, exactly as if there had been no batch. A handler that meets a lock it
may not wait for in a batch (BatchConflict) cuts the batch short instead: what came before it
commits, it is applied alone, and the rest is the next batch.

A record whose `ce_type` header names an event this group has no handler for is skipped before
its envelope is parsed (most of a shared topic is other groups' events); one of a type no
contract declares is counted and logged as well (`unknown_types`). An event whose `ce_source`
is not its topic's owner is dead-lettered unapplied: only the owner may write there, and this
check keeps a forged header from speaking for another service."""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord
from aiokafka.errors import KafkaError
from google.protobuf.message import DecodeError, Message
from opentelemetry import context as otel_context
from opentelemetry import trace
from sqlalchemy import Table

from messaging.deadletter import describe, error_message, set_aside
from messaging.envelope import Envelope, MalformedEnvelope, type_header
from messaging.events import (
    event_type,
    registry,
    source_of,
    topic_of,
    topic_owner,
)
from messaging.inbox import claim, claim_all, release
from messaging.kafka import KafkaAccess, make_consumer
from messaging.partitions import PartitionWorkers
from messaging.progress import Progress, partition_name
from messaging.tracing import consumed_attributes, continued
from servicekit.context import acting
from servicekit.db import Database, Transaction
from servicekit.db_errors import is_transient, sqlstate
from servicekit.errors import Unavailable
from servicekit.telemetry import extract_trace_context

log = logging.getLogger(__name__)

M = TypeVar("M", bound=Message)

# The most records one poll (and so one batch transaction) takes: large enough to amortize the
# transaction, small enough that a failed batch replayed one by one stays short.
MAX_BATCH = 200
# session.info key set in a batch's transaction. A handler that takes locks in a global order
# (so transactions never wait on each other in a cycle) cannot keep that order across the
# events of a batch: it should only try its locks there, and raise BatchConflict when one is
# taken, before it has written anything, so its event is applied alone instead of deadlocking.
IN_BATCH = "messaging.consumer.in_batch"
_LOCK_NOT_AVAILABLE = "55P03"


class BatchConflict(Exception):
    """A handler in a batch met a lock another transaction holds, before writing anything: the
    events before it commit, and its event is applied alone, waiting for its locks."""


@dataclass(frozen=True)
class Subscription(Generic[M]):
    """Which handler applies which event type; the handler runs in the inbox's transaction,
    which it may share with the other events of a batch (so it must not commit or end it)."""

    message: type[M]
    handler: Callable[[Transaction, M, Envelope], Awaitable[None]]
    # Told, in a transaction of its own once the dead letter is durable, that the handler
    # failed for good (`reason`): the service records the step as stalled where people see it.
    on_dead_letter: Callable[[Transaction, M, Envelope, str], Awaitable[None]] | None = None
    # A pure look at the decoded event: False when the handler would do nothing with it, so it
    # is skipped before any transaction or inbox claim (doing nothing twice is harmless).
    wants: Callable[[M], bool] | None = None


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
    return sqlstate(error) == _LOCK_NOT_AVAILABLE


def _retry_later(error: Exception) -> bool:
    """Infrastructure trouble (servicekit.db_errors, or a service this one calls being away):
    retried without limit, never dead-lettered, for it says nothing about the event."""
    return is_transient(error) or isinstance(error, Unavailable)


class EventConsumer:
    def __init__(
        self,
        *,
        kafka: KafkaAccess,
        group_id: str,
        subscriptions: list[Subscription[Any]],
        database: Database,
        inbox: Table | None,
        producer: AIOKafkaProducer,
        namespace: str = "",
        attempts: int = 3,
        backoff_seconds: float = 0.1,
        max_batch: int = MAX_BATCH,
        stall_seconds: float = 120.0,
        concurrency: int = 4,
        gather_ms: int = 0,  # messaging.kafka.make_consumer
    ) -> None:
        self.kafka = kafka
        self.gather_ms = gather_ms
        self.namespace = namespace
        self.group_id = group_id
        self.handlers: Mapping[str, Subscription[Any]] = {
            event_type(s.message): s for s in subscriptions
        }
        # compared with the raw header, so a skipped record's headers are never decoded
        self._handled_types = frozenset(t.encode() for t in self.handlers)
        self._known_types = frozenset(t.encode() for t in registry())
        # Records of a type no contract this process knows (a newer version, a typo): they are
        # skipped like other groups' events, but counted and logged, never silently.
        self.unknown_types: Counter[str] = Counter()
        self.topics = sorted({namespace + topic_of(s.message) for s in subscriptions})
        self.database = database
        self.inbox = inbox
        self.producer = producer
        self.attempts = attempts
        self.backoff_seconds = backoff_seconds
        self.max_batch = max_batch
        self.progress = Progress(stall_seconds)
        # Partitions are applied side by side; this bounds their transactions at any moment, so
        # a consumer of many partitions leaves the pool to the service's API.
        self._slots = asyncio.Semaphore(concurrency)
        self.client: AIOKafkaConsumer | None = None
        self._tracer = trace.get_tracer("messaging.consumer")

    def stalled(self) -> list[str]:
        """Why this consumer is making no progress though it has events to apply; [] when it
        is (a health check turns NOT_SERVING on a non-empty answer)."""
        return [f"consumer {self.group_id}: {why}" for why in self.progress.stalled()]

    async def run(self) -> None:
        consumer = await self._started()
        self.client = consumer
        workers = PartitionWorkers(consumer, self.process_batch, self.progress)
        try:
            while True:
                self.progress.polled()
                await workers.settle(0.2)
                workers.reap()
                await workers.commit_applied()
                await workers.poll(self.max_batch)
        finally:
            await workers.close()
            await consumer.stop()

    async def _started(self) -> AIOKafkaConsumer:
        """A started consumer; waits (with backoff) for a broker that is away at start."""
        delay = 1.0
        while True:
            consumer = make_consumer(self.kafka, self.group_id, self.topics, self.gather_ms)
            try:
                await consumer.start()
                return consumer
            except KafkaError as error:
                log.warning("consumer %s not started (%s); retrying", self.group_id, error)
                await consumer.stop()
                self.progress.polled()  # waiting for the broker is not a stall of ours
                await asyncio.sleep(delay)
                delay = min(delay * 2, 30.0)

    async def process_batch(self, records: Sequence[ConsumerRecord]) -> None:
        """Applies or dead-letters every record (one partition's, in offset order); returns once
        all of that is durable."""
        ready = [item for r in records if (item := await self._prepare(r)) is not None]
        name = partition_name(records[0].topic, records[0].partition) if records else ""
        while ready:
            try:
                async with self._slots:
                    settled = await self._apply_batch(ready)
                self.progress.advanced(name)
            except Exception as error:
                # Nothing of the batch stayed: one by one, the events before the failing one
                # are applied and the failing one is retried or dead-lettered as it would be
                # alone.
                if _lock_not_available(error):
                    log.info("batch of %d events met a lock; applying one by one", len(ready))
                else:
                    log.warning("batch of %d events failed (%s); one by one", len(ready), error)
                for item in ready:
                    await self._apply_one(item)
                    self.progress.advanced(name)
                return
            if settled < len(ready):  # cut short by a BatchConflict: that event alone
                await self._apply_one(ready[settled])
                self.progress.advanced(name)
                settled += 1
            ready = ready[settled:]

    async def process(self, record: ConsumerRecord) -> bool:
        """Applies one record in a transaction of its own (True: applied, now or before), or
        dead-letters it or skips another group's (False); returns once that is durable."""
        item = await self._prepare(record)
        return item is not None and await self._apply_one(item)

    async def _prepare(self, record: ConsumerRecord) -> Decoded | None:
        """The record decoded for its handler; None when it is another group's event or was
        dead-lettered (malformed, forged or undecodable)."""
        kind = type_header(record.headers)
        if kind is not None and kind not in self._handled_types:
            if kind not in self._known_types:
                self._count_unknown(kind.decode(errors="replace"), record)
            return None  # another consumer's event on a shared topic
        try:
            envelope = Envelope.from_record(record.topic, record.key, record.value, record.headers)
        except MalformedEnvelope as error:
            await self._dead_letter(record, f"malformed envelope: {error}", "MalformedEnvelope")
            return None
        subscription = self.handlers.get(envelope.type)
        if subscription is None:
            return None  # unreachable after the header check; kept for the type checker
        owner = source_of(topic_owner(record.topic.removeprefix(self.namespace)))
        if envelope.source != owner:
            await self._dead_letter(
                record,
                f"ce_source {envelope.source!r} is not {owner!r}, the topic's owner",
                "ForeignSource",
            )
            return None
        try:
            message = subscription.message.FromString(envelope.body)
        except DecodeError as error:
            await self._dead_letter(
                record, f"undecodable {envelope.type} body: {error}", "DecodeError"
            )
            return None
        if subscription.wants is not None and not subscription.wants(message):
            return None  # nothing for this group to do
        return Decoded(record, envelope, message, subscription)

    def _count_unknown(self, kind: str, record: ConsumerRecord) -> None:
        """Counts a record of a type no known contract declares; warns once per type."""
        if not self.unknown_types[kind]:
            log.warning(
                "consumer %s skips events of unknown type %r (first at %s@%d:%d): is a "
                "producer ahead of this service's contracts?",
                self.group_id, kind, record.topic, record.partition, record.offset,
            )  # fmt: skip
        self.unknown_types[kind] += 1

    async def _apply_batch(self, items: Sequence[Decoded]) -> int:
        """Every event of `items` not applied before, in one transaction, in order; returns how
        many items it settled: all, or those before the one that raised BatchConflict.

        A batch holds the locks of its earlier events while it takes the next ones, so it may
        close a cycle with a transaction that takes the same locks in another order: it waits
        at most 50 ms for a lock (its claim sets that), long before PostgreSQL's deadlock check
        (1 s) could pick the other transaction as the victim, and is replayed one by one."""
        async with self.database.transaction() as session:
            session.info[IN_BATCH] = True
            fresh = await self._claim_all(session, items)
            applied: set[str] = set()
            for index, item in enumerate(items):
                envelope = item.envelope
                if envelope.event_id not in fresh or envelope.event_id in applied:
                    log.info("skipping redelivered %s %s", envelope.type, envelope.event_id)
                    continue
                try:
                    with self._handling(envelope):
                        await item.subscription.handler(session, item.message, envelope)
                except BatchConflict as conflict:
                    log.info("batch cut short at event %d of %d: %s", index, len(items), conflict)
                    if self.inbox is not None:
                        unapplied = {i.envelope.event_id for i in items[index:]} & fresh - applied
                        await release(session, self.inbox, self.group_id, unapplied)
                    return index
                applied.add(envelope.event_id)
        return len(items)

    async def _claim_all(self, session: Transaction, items: Sequence[Decoded]) -> set[str]:
        """The ids of the batch's events to apply: those the inbox claims, or all of them for a
        group without one (its handlers keep each event's effect once by themselves)."""
        claims = [(i.envelope.event_id, i.envelope.type) for i in items]
        if self.inbox is None:
            return {event_id for event_id, _ in claims}
        return await claim_all(session, self.inbox, self.group_id, claims, lock_timeout="50ms")

    async def _apply_one(self, item: Decoded) -> bool:  # False: dead-lettered
        subscription, message, envelope = item.subscription, item.message, item.envelope
        failures = transient = 0
        while True:
            try:
                async with self._slots:
                    await self._apply(subscription, message, envelope)
                return True
            except Exception as error:
                if _retry_later(error):
                    # without limit: the partition waits (and health says so), the event stays
                    with continued(envelope):  # the line carries the event's trace id
                        log.warning(
                            "transient failure on %s, retrying: %s", envelope.event_id, error
                        )
                    await asyncio.sleep(min(5.0, self.backoff_seconds * 2 ** min(transient, 6)))
                    transient += 1
                    continue
                failures += 1
                if isinstance(error, PoisonEvent) or failures >= self.attempts:
                    with continued(envelope):
                        log.exception("dead-lettering %s %s", envelope.type, envelope.event_id)
                    reason = describe(error)
                    await self._dead_letter(item.record, reason, type(error).__name__, error)
                    told = error_message(error) or reason  # people read it: no class name
                    await self._tell_stalled(subscription, message, envelope, told)
                    return False
                await asyncio.sleep(self.backoff_seconds * 2 ** (failures - 1))

    async def _apply(
        self, subscription: Subscription[Any], message: Message, envelope: Envelope
    ) -> None:
        with self._handling(envelope):
            async with self.database.transaction() as session:
                if self.inbox is not None and not await claim(
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
                    f"consume {envelope.type}",
                    kind=trace.SpanKind.CONSUMER,
                    attributes=consumed_attributes(envelope, self.group_id),
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

    async def _dead_letter(
        self,
        record: ConsumerRecord,
        reason: str,
        error_class: str,
        error: BaseException | None = None,
    ) -> None:
        """Sets the record aside (messaging.deadletter: a pointer and a diagnosis, no body)."""
        await set_aside(self.producer, record, self.group_id, reason, error_class, error)
