"""Kafka clients with the guarantees the suite relies on, set explicitly because aiokafka's
defaults are weaker (acks=1, no idempotence, auto-commit every 5 s)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError


def make_producer(bootstrap_servers: str, client_id: str) -> AIOKafkaProducer:
    return AIOKafkaProducer(
        bootstrap_servers=bootstrap_servers,
        client_id=client_id,
        acks="all",
        enable_idempotence=True,
        # a short linger lets one relay batch leave in one request without delaying a lone event
        linger_ms=2,
        request_timeout_ms=15000,
    )


def make_consumer(bootstrap_servers: str, group_id: str, topics: Iterable[str]) -> AIOKafkaConsumer:
    return AIOKafkaConsumer(
        *sorted(set(topics)),
        bootstrap_servers=bootstrap_servers,
        group_id=group_id,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        max_poll_records=200,
        session_timeout_ms=10000,
        heartbeat_interval_ms=1000,
    )


async def ensure_topics(bootstrap_servers: str, topics: Iterable[str], partitions: int) -> None:
    """Creates the topics that do not exist yet; existing ones are left as they are."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers)
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [
            NewTopic(name=t, num_partitions=partitions, replication_factor=1)
            for t in sorted(set(topics))
            if t not in existing
        ]
        if missing:
            # a replica may create the same topic at the same moment
            with contextlib.suppress(TopicAlreadyExistsError):
                await admin.create_topics(missing)
    finally:
        await admin.close()
