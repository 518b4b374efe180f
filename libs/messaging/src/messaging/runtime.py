"""Wires a service's event traffic: one idempotent producer shared by the outbox relay and the
dead-letter path, the topics it publishes to, and its consumer group."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Coroutine, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from aiokafka import AIOKafkaProducer
from google.protobuf.message import Message
from sqlalchemy import MetaData, Table

from messaging.consumer import EventConsumer, Subscription
from messaging.dead_letters_api import DeadLetterDesk
from messaging.events import dead_letter_topic, topic_of
from messaging.inbox import inbox_table
from messaging.kafka import KafkaAccess, ensure_topics, make_producer
from messaging.leadership import Lease
from messaging.metrics import DeadLetterDepth, watch_consumer, watch_outbox
from messaging.outbox import outbox_table
from messaging.relay import OutboxRelay
from messaging.retention import Retention, retention_loop
from servicekit.config import MessagingSettings
from servicekit.db import Database
from servicekit.health import HealthCheck
from servicekit.metrics import Metrics

Loop = Callable[[], Coroutine[Any, Any, None]]


@dataclass
class MessagingTables:
    """Outbox and inbox tables on a service's own metadata (its migrations create them)."""

    outbox: Table
    inbox: Table

    @classmethod
    def on(cls, metadata: MetaData) -> MessagingTables:
        return cls(outbox_table(metadata), inbox_table(metadata))


@dataclass(frozen=True)
class ConsumerGroup:
    """Another consumer group of a service, beside its main one (`oms.<service>`): a read model
    fed by events reads at its own pace, with its own offsets (group `oms.<service>.<name>`)
    and its own inbox table, so a slow or rebuilt projection never holds up the service's
    reactions. Batches, inbox claims and dead letters work as in the main group.

    A group whose handlers keep each event's effect once by themselves (rows keyed by the
    event's id, written with ON CONFLICT DO NOTHING) may go without an inbox (`inbox=None`):
    no claim row per event, and a redelivery writes nothing new all the same."""

    name: str
    inbox: Table | None
    subscriptions: Sequence[Subscription[Any]]
    # > 0: its fetches wait this long for events to gather (messaging.kafka.make_consumer)
    gather_ms: int = 0

    def consumer(
        self,
        source: str,
        kafka: KafkaAccess,
        database: Database,
        producer: AIOKafkaProducer,
        namespace: str,
        stall_seconds: float,
    ) -> EventConsumer:
        """Its consumer, group `oms.<source>.<name>` (the service's own group has no name)."""
        return EventConsumer(
            kafka=kafka,
            group_id=".".join(filter(None, ("oms", source, self.name))),
            subscriptions=list(self.subscriptions),
            database=database,
            inbox=self.inbox,
            producer=producer,
            namespace=namespace,
            stall_seconds=stall_seconds,
            gather_ms=self.gather_ms,
        )


@dataclass(frozen=True)
class Housekeeping:
    """How a service's topics are replicated, how long its outbox and inbox rows live, and how
    soon a lost relay's lease expires (the defaults suit the local single broker)."""

    replication_factor: int = 1
    min_insync_replicas: int | None = None
    retention: Retention = field(default_factory=Retention)
    lease: Lease = field(default_factory=Lease)
    # A consumer with events in hand and no progress for this long turns health NOT_SERVING.
    consumer_stall_seconds: float = 120.0

    @classmethod
    def of(cls, settings: MessagingSettings) -> Housekeeping:
        return cls(
            replication_factor=settings.kafka_replication_factor,
            min_insync_replicas=settings.kafka_min_insync_replicas,
            retention=Retention.of_hours(
                settings.outbox_retention_hours,
                settings.inbox_retention_hours,
                settings.inbox_duplicate_window_hours,
                interval_seconds=settings.retention_interval_seconds,
            ),
            lease=Lease(settings.relay_lease_seconds),
            consumer_stall_seconds=settings.consumer_stall_seconds,
        )


@asynccontextmanager
async def start_messaging(
    *,
    source: str,
    publishes: Sequence[type[Message]],
    subscriptions: Sequence[Subscription[Any]],
    tables: MessagingTables,
    database: Database,
    kafka: KafkaAccess,
    partitions: int,
    namespace: str = "",
    housekeeping: Housekeeping | None = None,
    metrics: Metrics | None = None,
    health: list[HealthCheck] | None = None,
    groups: Sequence[ConsumerGroup] = (),
    desk: DeadLetterDesk | None = None,  # given the consumers (messaging.dead_letters_api)
    gather_ms: int = 0,  # the main group's (ConsumerGroup.gather_ms)
) -> AsyncIterator[list[Loop]]:
    """Yields the loops to run: the outbox relay, the outbox and inbox retention, the consumer
    when there are subscriptions and one per other group (`groups`). With `metrics`, the outbox
    backlog, each consumer's lag and its dead letters are read at each scrape (messaging.metrics);
    with `health`, each consumer's stall check is added to it (servicekit.health).

    Creates the topics it writes (its own and the dead letters of what it reads) when missing;
    the topics of other services are theirs to create (or the cluster's provisioning)."""
    care = housekeeping or Housekeeping()
    published = {namespace + topic_of(m) for m in publishes}
    # the service's own group (`oms.<service>`) first, then its other groups
    own = [ConsumerGroup("", tables.inbox, subscriptions, gather_ms)] if subscriptions else []
    consumers = [*own, *groups]
    consumed = {namespace + topic_of(s.message) for g in consumers for s in g.subscriptions}
    dead_letters = {dead_letter_topic(t) for t in consumed}
    await ensure_topics(
        kafka,
        published | dead_letters,
        partitions,
        replication_factor=care.replication_factor,
        min_insync_replicas=care.min_insync_replicas,
    )
    producer = make_producer(kafka, client_id=source)
    await producer.start()
    depth = DeadLetterDepth(metrics, kafka, dead_letters) if metrics else None
    try:
        relay = OutboxRelay(database.engine, tables.outbox, producer, source, lease=care.lease)
        others = [g.inbox for g in groups if g.inbox is not None]
        purge = retention_loop(
            database.engine, tables.outbox, tables.inbox, care.retention, other_inboxes=others
        )
        stall = care.consumer_stall_seconds
        started = [
            g.consumer(source, kafka, database, producer, namespace, stall) for g in consumers
        ]
        _watch(started, health, metrics, desk, producer)
        loops: list[Loop] = [relay.run, purge, *(c.run for c in started)]
        if metrics:
            watch_outbox(metrics, database.engine, tables.outbox)
        yield loops
    finally:
        if depth:
            await depth.close()
        await producer.stop()


def _watch(
    consumers: Sequence[EventConsumer],
    health: list[HealthCheck] | None,
    metrics: Metrics | None,
    desk: DeadLetterDesk | None,
    producer: AIOKafkaProducer,
) -> None:
    """Each consumer's stall check into `health`, its lag into `metrics`, when given; the
    consumers to `desk`, which re-drives dead letters through them, with the producer that
    closes the letters."""
    for consumer in consumers:
        if health is not None:
            health.append(consumer.stalled)
        if metrics:
            watch_consumer(metrics, consumer)
    if desk is not None:
        desk.attach(producer, consumers)
