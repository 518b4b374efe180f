"""The consumer that reads dead letters (messaging.dlq.reading_consumer): an admin's lookup on
a service's dead-letter topics must answer within the gateway's deadline, so the consumer knows
every partition it reads before it starts (one metadata round for all its topics, not one per
topic) and starts where it is told."""

from __future__ import annotations

import ssl

from aiokafka import TopicPartition

from messaging.dlq import reading_consumer
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
