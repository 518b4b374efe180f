"""Wires a service's event traffic: one idempotent producer shared by the outbox relay and the
dead-letter path, the topics it publishes to, and its consumer group."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Coroutine, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from google.protobuf.message import Message
from sqlalchemy import MetaData, Table

from messaging.consumer import EventConsumer, Subscription
from messaging.events import dead_letter_topic, topic_of
from messaging.inbox import inbox_table
from messaging.kafka import ensure_topics, make_producer
from messaging.outbox import Outbox, outbox_table
from messaging.relay import OutboxRelay
from servicekit.db import Database


@dataclass
class MessagingTables:
    """Outbox and inbox tables on a service's own metadata (its migrations create them)."""

    outbox: Table
    inbox: Table

    @classmethod
    def on(cls, metadata: MetaData) -> MessagingTables:
        return cls(outbox_table(metadata), inbox_table(metadata))


@dataclass
class EventTraffic:
    source: str
    publishes: Sequence[type[Message]]
    subscriptions: list[Subscription] = field(default_factory=list)


@asynccontextmanager
async def start_messaging(
    traffic: EventTraffic,
    tables: MessagingTables,
    database: Database,
    bootstrap_servers: str,
    partitions: int,
) -> AsyncIterator[tuple[Outbox, list[Callable[[], Coroutine[Any, Any, None]]]]]:
    """Yields the outbox to write events with, and the loops to run (relay, consumer)."""
    published = {topic_of(m) for m in traffic.publishes}
    consumed = {topic_of(s.message) for s in traffic.subscriptions}
    await ensure_topics(
        bootstrap_servers,
        published | consumed | {dead_letter_topic(t) for t in consumed},
        partitions,
    )
    producer = make_producer(bootstrap_servers, client_id=traffic.source)
    await producer.start()
    try:
        relay = OutboxRelay(database.engine, tables.outbox, producer, traffic.source)
        loops: list[Callable[[], Coroutine[Any, Any, None]]] = [relay.run]
        if traffic.subscriptions:
            consumer = EventConsumer(
                bootstrap_servers=bootstrap_servers,
                group_id=f"oms.{traffic.source}",
                subscriptions=traffic.subscriptions,
                database=database,
                inbox=tables.inbox,
                producer=producer,
            )
            loops.append(consumer.run)
        yield Outbox(tables.outbox, traffic.source), loops
    finally:
        await producer.stop()
