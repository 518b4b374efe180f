"""What an operator watches of a service's event traffic, read at scrape time
(servicekit.metrics): the outbox backlog and the age of its oldest unpublished event, the
consumer group's lag per partition, and how many events sit on its dead-letter topics."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Collection

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.errors import KafkaError
from sqlalchemy import Table, func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from messaging.consumer import EventConsumer
from messaging.dlq import RESOLVES
from messaging.kafka import KafkaAccess
from servicekit.metrics import Metrics, Snapshot

log = logging.getLogger(__name__)


def watch_outbox(metrics: Metrics, engine: AsyncEngine, outbox: Table) -> None:
    """`oms_outbox_backlog_events` and `oms_outbox_oldest_age_seconds` (0 when none wait): a
    growing age means the relay is not publishing (broker down, lease lost); and
    `oms_outbox_parked_events`, rows the broker refused (too large), which wait for a person."""
    backlog = Snapshot(metrics, "oms_outbox_backlog_events", "Outbox rows not yet published", [])
    age = Snapshot(
        metrics,
        "oms_outbox_oldest_age_seconds",
        "Age of the oldest unpublished outbox row (0 when none wait)",
        [],
    )
    parked = Snapshot(
        metrics, "oms_outbox_parked_events", "Outbox rows parked: the broker refused them", []
    )
    waiting = outbox.c.published_at.is_(None)  # the partial index ix_outbox_unpublished
    is_parked = outbox.c.parked_at.is_not(None)
    query = select(
        func.count().filter(~is_parked),
        func.coalesce(
            func.extract("epoch", func.now() - func.min(outbox.c.created_at).filter(~is_parked)),
            0,
        ),
        func.count().filter(is_parked),
    ).where(waiting)

    async def refresh() -> None:
        async with engine.connect() as connection:
            count, oldest, refused = (await connection.execute(query)).one()
        backlog.values = {(): float(count)}
        age.values = {(): float(oldest)}
        parked.values = {(): float(refused)}

    metrics.on_scrape(refresh)


def watch_consumer(metrics: Metrics, consumer: EventConsumer) -> None:
    """`oms_consumer_lag_records{group, topic, partition}`: events on the broker past the
    group's committed offset, for the partitions this replica holds; and
    `oms_consumer_unknown_events_total{group, type}`: events skipped because no contract this
    service knows declares their type (a producer ahead of it)."""
    lag = Snapshot(
        metrics,
        "oms_consumer_lag_records",
        "Records past the consumer group's committed offset, per partition this process holds",
        ["group", "topic", "partition"],
    )
    unknown = Snapshot(
        metrics,
        "oms_consumer_unknown_events",
        "Events skipped for a type no known contract declares",
        ["group", "type"],
        counter=True,
    )

    async def refresh() -> None:
        counted = consumer.unknown_types.items()
        unknown.values = {(consumer.group_id, kind): float(n) for kind, n in counted}
        client = consumer.client
        lag.values = await _lag(client, consumer.group_id) if client is not None else {}

    metrics.on_scrape(refresh)


async def _lag(client: AIOKafkaConsumer, group: str) -> dict[tuple[str, ...], float]:
    found: dict[tuple[str, ...], float] = {}
    for partition in sorted(client.assignment()):
        end = client.highwater(partition)
        if end is None:  # nothing fetched from it yet
            continue
        done = await client.committed(partition) or 0
        found[(group, partition.topic, str(partition.partition))] = float(max(end - done, 0))
    return found


class DeadLetterDepth:
    """`oms_dead_letter_depth{topic}`: the open dead letters on each dead-letter topic of this
    service's consumer: letters less the records that resolve them (a re-drive or a resolve by
    `messaging.dlq` writes one), so it falls back to 0 once an operator has dealt with them. A
    consumer outside any group reads each topic once from its start, then only what is new at
    each scrape."""

    def __init__(self, metrics: Metrics, kafka: KafkaAccess, topics: Collection[str]) -> None:
        self.kafka = kafka
        self.topics = sorted(topics)
        self.gauge = Snapshot(
            metrics, "oms_dead_letter_depth", "Open (unresolved) dead letters", ["topic"]
        )
        # (topic, partition, offset) of every letter seen, and of every letter resolved
        self.letters: set[tuple[str, int, int]] = set()
        self.resolved: set[tuple[str, int, int]] = set()
        self._client: AIOKafkaConsumer | None = None
        metrics.on_scrape(self.refresh)

    async def refresh(self) -> None:
        if not self.topics:
            return
        client = self._client or await self._start()
        # subscribed outside any group, the client is given every partition of the topics
        # (once their metadata has arrived), each read from the start
        held = client.assignment()
        ends = await client.end_offsets(sorted(held)) if held else {}
        while [p for p, end in ends.items() if await client.position(p) < end]:
            for partition, records in (await client.getmany(timeout_ms=500)).items():
                for record in records:
                    self._note(partition, record.offset, dict(record.headers or ()))
        depth = dict.fromkeys(self.topics, 0.0)
        for letter in self.letters - self.resolved:
            depth[letter[0]] += 1
        self.gauge.values = {(topic,): value for topic, value in depth.items()}

    def _note(self, partition: TopicPartition, offset: int, headers: dict[str, bytes]) -> None:
        # a resolution record shares its letter's key, so its partition (messaging.dlq)
        place = (partition.topic, partition.partition)
        if RESOLVES in headers:
            self.resolved.add((*place, int(headers[RESOLVES])))
        else:
            self.letters.add((*place, offset))

    async def _start(self) -> AIOKafkaConsumer:
        client = AIOKafkaConsumer(
            **self.kafka.client_args(), enable_auto_commit=False, auto_offset_reset="earliest"
        )
        await client.start()
        client.subscribe(self.topics)
        self._client = client
        return client

    async def close(self) -> None:
        if self._client is not None:
            with contextlib.suppress(KafkaError):
                await self._client.stop()
