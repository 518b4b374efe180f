"""How dead letters are read (messaging.dlq): an admin's lookup on a service's dead-letter
topics must answer within the gateway's deadline, so the reading consumer knows every partition
it reads before it starts (one metadata round for all its topics, not one per topic), and the
lookup does not wait for it to stop."""

from __future__ import annotations

import asyncio
import ssl
from dataclasses import dataclass, field

from aiokafka import ConsumerRecord, TopicPartition

from messaging.dlq import read_to_end, reading_consumer
from messaging.kafka import KafkaAccess

PARTITIONS = [
    TopicPartition("oms.inventory.dlq", 0),
    TopicPartition("oms.inventory.dlq", 1),
    TopicPartition("oms.billing.dlq", 0),
]


def _kafka() -> KafkaAccess:
    return KafkaAccess("127.0.0.1:9", ssl.create_default_context())


async def test_every_partition_is_assigned_before_the_consumer_starts() -> None:
    consumer = reading_consumer(_kafka(), PARTITIONS, "earliest")
    try:
        assert consumer.assignment() == set(PARTITIONS)
    finally:
        await consumer.stop()  # never started: it only closes


@dataclass
class SlowToStop:
    """A started reader over one partition holding offsets 0 and 1, whose stop waits until
    `closed` is set (as a TLS connection's close waits for the broker)."""

    closed: asyncio.Event = field(default_factory=asyncio.Event)
    at: int = 0
    stopped: bool = False

    async def start(self) -> None: ...

    async def end_offsets(self, partitions: list[TopicPartition]) -> dict[TopicPartition, int]:
        return dict.fromkeys(partitions, 2)

    async def position(self, partition: TopicPartition) -> int:
        return self.at

    async def getmany(self, timeout_ms: int) -> dict[TopicPartition, list[ConsumerRecord]]:
        where, self.at = PARTITIONS[0], 2
        return {where: [_record(where, 0), _record(where, 1)]}

    async def stop(self) -> None:
        await self.closed.wait()
        self.stopped = True


def _record(where: TopicPartition, offset: int) -> ConsumerRecord:
    return ConsumerRecord(
        where.topic, where.partition, offset, 0, 0, b"k", b"", None, 1, 0, ()
    )  # fmt: skip


async def test_the_records_are_returned_without_waiting_for_the_reader_to_stop() -> None:
    reader = SlowToStop()

    found = await asyncio.wait_for(read_to_end(reader, PARTITIONS[:1]), 1)  # type: ignore[arg-type]

    assert [r.offset for r in found] == [0, 1]
    assert not reader.stopped
    reader.closed.set()
    for _ in range(10):
        await asyncio.sleep(0)
    assert reader.stopped, "it is still stopped, in the background"
