"""Kafka clients with the guarantees the suite relies on, set explicitly because aiokafka's
defaults are weaker (acks=1, no idempotence, auto-commit every 5 s), and with the identity each
process proves to the broker (mutual TLS: the broker's ACLs name the certificate's holder)."""

from __future__ import annotations

import contextlib
import ssl
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError

from servicekit.tls import TlsFiles


@dataclass(frozen=True)
class KafkaAccess:
    """Where the brokers are and who this process is to them."""

    bootstrap_servers: str
    ssl_context: ssl.SSLContext

    @classmethod
    def of(cls, bootstrap_servers: str, tls: TlsFiles) -> KafkaAccess:
        return cls(bootstrap_servers, tls.ssl_context())

    def client_args(self) -> dict[str, Any]:
        return {
            "bootstrap_servers": self.bootstrap_servers,
            "security_protocol": "SSL",
            "ssl_context": self.ssl_context,
        }


def make_producer(kafka: KafkaAccess, client_id: str) -> AIOKafkaProducer:
    return AIOKafkaProducer(
        **kafka.client_args(),
        client_id=client_id,
        acks="all",
        enable_idempotence=True,
        # a short linger lets one relay batch leave in one request without delaying a lone event
        linger_ms=2,
        request_timeout_ms=15000,
    )


def make_consumer(kafka: KafkaAccess, group_id: str, topics: Iterable[str]) -> AIOKafkaConsumer:
    return AIOKafkaConsumer(
        *sorted(set(topics)),
        **kafka.client_args(),
        group_id=group_id,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        max_poll_records=200,
        session_timeout_ms=10000,
        heartbeat_interval_ms=1000,
    )


def make_admin(kafka: KafkaAccess) -> AIOKafkaAdminClient:
    return AIOKafkaAdminClient(**kafka.client_args())


async def ensure_topics(kafka: KafkaAccess, topics: Iterable[str], partitions: int) -> None:
    """Creates the topics that do not exist yet; existing ones are left as they are."""
    admin = make_admin(kafka)
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
