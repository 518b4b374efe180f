"""Kafka clients with the guarantees the suite relies on, set explicitly because aiokafka's
defaults are weaker (acks=1, no idempotence, auto-commit every 5 s), and with the identity each
process proves to the broker (mutual TLS: the broker's ACLs name the certificate's holder)."""

from __future__ import annotations

import ssl
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, errors
from aiokafka.admin import AIOKafkaAdminClient, NewTopic

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


# What a gathering fetch waits for at most: far more than its wait brings at any rate seen.
_GATHERED_BYTES = 1 << 20


def make_consumer(
    kafka: KafkaAccess, group_id: str, topics: Iterable[str], gather_ms: int = 0
) -> AIOKafkaConsumer:
    """A group's consumer. Its fetches return with the first event; with `gather_ms`, they
    wait that long for events to gather (a group whose reactions may lag: each event on its
    topics no longer wakes it, and costs the broker a request, alone)."""
    fetch = {"fetch_min_bytes": _GATHERED_BYTES, "fetch_max_wait_ms": gather_ms}
    return AIOKafkaConsumer(
        *sorted(set(topics)),
        **kafka.client_args(),
        group_id=group_id,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        max_poll_records=200,
        session_timeout_ms=10000,
        heartbeat_interval_ms=1000,
        **(fetch if gather_ms else {}),
    )


def make_admin(kafka: KafkaAccess) -> AIOKafkaAdminClient:
    return AIOKafkaAdminClient(**kafka.client_args())


def new_topics(
    names: Iterable[str],
    partitions: int,
    replication_factor: int = 1,
    min_insync_replicas: int | None = None,
) -> list[NewTopic]:
    """The topics to create. `min.insync.replicas` is set only when configured: unset, the
    broker's default applies (1 on a single local broker); with `acks=all` it is what makes an
    acknowledged event survive the loss of a replica."""
    configs = (
        {} if min_insync_replicas is None else {"min.insync.replicas": str(min_insync_replicas)}
    )
    return [
        NewTopic(
            name=name,
            num_partitions=partitions,
            replication_factor=replication_factor,
            topic_configs=dict(configs),
        )
        for name in sorted(set(names))
    ]


async def ensure_topics(
    kafka: KafkaAccess,
    topics: Iterable[str],
    partitions: int,
    *,
    replication_factor: int = 1,
    min_insync_replicas: int | None = None,
) -> None:
    """Creates the topics that do not exist yet; existing ones are left as they are (changing
    an existing topic's replication is a reassignment, an operator's decision)."""
    admin = make_admin(kafka)
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = new_topics(
            (t for t in topics if t not in existing),
            partitions,
            replication_factor,
            min_insync_replicas,
        )
        if missing:
            _raise_refusals(await admin.create_topics(missing))
    finally:
        await admin.close()


class TopicsNotCreated(RuntimeError):
    """The broker refused to create topics (e.g. more replicas than it has brokers)."""


def _raise_refusals(response: Any) -> None:
    # The admin client returns the broker's per-topic error codes instead of raising them, so
    # without this a refused replication factor would pass silently and fail later, elsewhere.
    refused = [
        f"{topic}: {errors.for_code(code).__name__} {rest[0] if rest else ''}".rstrip()
        for topic, code, *rest in response.topic_errors
        # a replica may create the same topic at the same moment
        if code and errors.for_code(code) is not errors.TopicAlreadyExistsError
    ]
    if refused:
        raise TopicsNotCreated("; ".join(refused))
