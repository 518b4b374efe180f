"""A group that gathers its fetches (messaging.kafka.make_consumer's `gather_ms`) against the
real broker: events arriving apart reach it together, in one fetch, within the wait; a group
that does not gather gets the first event alone."""

from __future__ import annotations

import asyncio
import uuid

from aiokafka import AIOKafkaConsumer

from messaging.kafka import ensure_topics, make_consumer, make_producer
from testkit.services import operator


async def _first_fetch(consumer: AIOKafkaConsumer) -> list[bytes]:
    """The values of the first fetch that brings anything."""
    while True:
        batches = await consumer.getmany(timeout_ms=3000)
        if batches:
            return [record.value for records in batches.values() for record in records]


async def _fetched_first(kafka_bootstrap: str, gather_ms: int) -> list[bytes]:
    topic = f"gather-{uuid.uuid4().hex[:8]}"
    access = operator(kafka_bootstrap)
    await ensure_topics(access, [topic], partitions=1)
    consumer = make_consumer(access, f"g-{uuid.uuid4().hex[:8]}", [topic], gather_ms)
    producer = make_producer(access, "gather-test")
    await consumer.start()
    await producer.start()
    try:
        while not consumer.assignment():  # joined: later events are fetched, not reset to
            await consumer.getmany(timeout_ms=100)
        first = asyncio.create_task(_first_fetch(consumer))
        for value in (b"a", b"b", b"c"):
            await producer.send_and_wait(topic, value)
            await asyncio.sleep(0.15)
        return await first
    finally:
        await producer.stop()
        await consumer.stop()


async def test_a_gathering_group_gets_events_sent_apart_in_one_fetch(kafka_bootstrap: str) -> None:
    assert await _fetched_first(kafka_bootstrap, gather_ms=1500) == [b"a", b"b", b"c"]


async def test_a_group_that_does_not_gather_gets_the_first_event_alone(
    kafka_bootstrap: str,
) -> None:
    assert await _fetched_first(kafka_bootstrap, gather_ms=0) == [b"a"]
