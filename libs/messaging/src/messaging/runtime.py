"""Wires a service's event traffic: one idempotent producer shared by the outbox relay and the
dead-letter path, the topics it publishes to, and its consumer group."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Coroutine, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from google.protobuf.message import Message
from sqlalchemy import MetaData, Table

from messaging.consumer import EventConsumer, Subscription
from messaging.events import dead_letter_topic, topic_of
from messaging.inbox import inbox_table
from messaging.kafka import KafkaAccess, ensure_topics, make_producer
from messaging.outbox import outbox_table
from messaging.relay import OutboxRelay
from servicekit.db import Database

Loop = Callable[[], Coroutine[Any, Any, None]]


@dataclass
class MessagingTables:
    """Outbox and inbox tables on a service's own metadata (its migrations create them)."""

    outbox: Table
    inbox: Table

    @classmethod
    def on(cls, metadata: MetaData) -> MessagingTables:
        return cls(outbox_table(metadata), inbox_table(metadata))


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
) -> AsyncIterator[list[Loop]]:
    """Yields the loops to run: the outbox relay, and the consumer when there are subscriptions.

    Creates the topics it writes (its own and the dead letters of what it reads) when missing;
    the topics of other services are theirs to create (or the cluster's provisioning)."""
    published = {namespace + topic_of(m) for m in publishes}
    consumed = {namespace + topic_of(s.message) for s in subscriptions}
    dead_letters = {dead_letter_topic(t) for t in consumed}
    await ensure_topics(kafka, published | dead_letters, partitions)
    producer = make_producer(kafka, client_id=source)
    await producer.start()
    try:
        relay = OutboxRelay(database.engine, tables.outbox, producer, source)
        loops: list[Loop] = [relay.run]
        if subscriptions:
            consumer = EventConsumer(
                kafka=kafka,
                group_id=f"oms.{source}",
                subscriptions=list(subscriptions),
                database=database,
                inbox=tables.inbox,
                producer=producer,
                namespace=namespace,
            )
            loops.append(consumer.run)
        yield loops
    finally:
        await producer.stop()
