"""The broker knows who writes and reads: every connection is mutual TLS with a certificate from
the project's CA, and each service's principal may write only its own topics and read only what
it consumes (devstack.kafka_acls), whatever its client asks for."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.errors import (
    ClusterAuthorizationFailedError,
    GroupAuthorizationFailedError,
    KafkaError,
    TopicAuthorizationFailedError,
)

from devstack.kafka_acls import grant_clients, grants, provision
from devstack.pki import Pki
from messaging.events import dead_letter_topic
from messaging.kafka import KafkaAccess, ensure_topics, make_producer
from servicekit.tls import PeerKind
from testkit.security import session_security
from testkit.services import operator

INVOICES = "oms.billing.invoice.v1"
BILLS = "oms.billing.bill.v1"
ORDERS = "oms.orders.sales-order.v1"


def as_(name: str, bootstrap: str) -> KafkaAccess:
    return KafkaAccess.of(bootstrap, session_security().pki.files(name))


async def send(kafka: KafkaAccess, topic: str) -> None:
    """One record on partition 0."""
    producer = make_producer(kafka, f"test-{uuid.uuid4().hex[:6]}")
    await producer.start()
    try:
        await producer.send_and_wait(topic, b"x", key=b"k", partition=0)
    finally:
        await producer.stop()


async def readable(kafka: KafkaAccess, topic: str) -> list[bytes] | None:
    """The values on the topic's first partition as this principal reads them; None when the
    broker does not even show it the topic."""
    consumer = AIOKafkaConsumer(**kafka.client_args(), enable_auto_commit=False)
    await consumer.start()
    try:
        if topic not in await consumer.topics():
            return None
        partition = TopicPartition(topic, 0)
        consumer.assign([partition])
        await consumer.seek_to_beginning(partition)
        batches = await consumer.getmany(partition, timeout_ms=3000)
        return [r.value for r in batches.get(partition, [])]
    finally:
        await consumer.stop()


@pytest.fixture
async def namespace(kafka_bootstrap: str) -> str:
    ns = f"t{uuid.uuid4().hex[:10]}."
    await provision(operator(kafka_bootstrap), ["orders", "billing"], ns)
    return ns


async def test_a_service_writes_its_own_topics_and_the_broker_refuses_another_services(
    kafka_bootstrap: str, namespace: str
) -> None:
    orders = as_("orders", kafka_bootstrap)
    await send(orders, namespace + ORDERS)
    with pytest.raises(TopicAuthorizationFailedError):
        await send(orders, namespace + INVOICES)
    # billing may write invoices, and the dead letters of what it consumes, not orders' topic
    billing = as_("billing", kafka_bootstrap)
    await send(billing, namespace + INVOICES)
    await send(billing, dead_letter_topic(namespace + ORDERS))
    with pytest.raises(TopicAuthorizationFailedError):
        await send(billing, namespace + ORDERS)


async def test_a_service_reads_what_it_consumes_and_nothing_else(
    kafka_bootstrap: str, namespace: str
) -> None:
    for topic in (INVOICES, BILLS):
        await send(operator(kafka_bootstrap), namespace + topic)  # one record on partition 0
    orders = as_("orders", kafka_bootstrap)
    assert await readable(orders, namespace + INVOICES) == [b"x"]  # orders consumes invoices
    assert await readable(orders, namespace + BILLS) is None  # but not supplier bills


async def test_a_service_reads_the_dead_letters_of_what_it_consumes_and_no_others(
    kafka_bootstrap: str, namespace: str
) -> None:
    letters = [dead_letter_topic(namespace + topic) for topic in (INVOICES, BILLS)]
    await ensure_topics(operator(kafka_bootstrap), letters, partitions=1)  # bills': nobody's here
    for topic in letters:
        await send(operator(kafka_bootstrap), topic)
    orders = as_("orders", kafka_bootstrap)
    # its DeadLettersService lists and re-drives the letters of what it consumes
    assert await readable(orders, dead_letter_topic(namespace + INVOICES)) == [b"x"]
    assert await readable(orders, dead_letter_topic(namespace + BILLS)) is None


async def test_a_registered_client_has_no_topic_rights_by_default_and_a_stranger_cannot_connect(
    kafka_bootstrap: str, namespace: str, tmp_path: Path
) -> None:
    security = session_security()
    name = f"reporting-{uuid.uuid4().hex[:6]}"
    security.pki.register_client(name, ["orders:read"])
    # it may write nothing: the broker refuses even to start its idempotent producer
    with pytest.raises((TopicAuthorizationFailedError, ClusterAuthorizationFailedError)):
        await send(as_(name, kafka_bootstrap), namespace + ORDERS)
    assert await readable(as_(name, kafka_bootstrap), namespace + ORDERS) is None

    # a certificate from a CA of the attacker's own: the handshake itself fails
    stranger = Pki(tmp_path / "other-ca").ensure()
    stranger.issue("orders", PeerKind.SERVICE)
    forged = KafkaAccess.of(kafka_bootstrap, stranger.files("orders"))
    producer = AIOKafkaProducer(**forged.client_args(), request_timeout_ms=3000)
    with pytest.raises((KafkaError, OSError)):
        await producer.start()
    await producer.stop()


def test_each_service_is_granted_exactly_its_own_topics_and_what_it_consumes() -> None:
    writes = {a.name for a in grants("orders") if a.operation.name == "WRITE"}
    assert ORDERS in writes
    assert "oms.orders.customer.v1" in writes
    assert INVOICES not in writes
    assert dead_letter_topic(INVOICES) in writes  # it dead-letters what it cannot apply
    reads = {a.name for a in grants("orders") if a.operation.name == "READ"}
    assert INVOICES in reads
    assert BILLS not in reads
    assert dead_letter_topic(INVOICES) in reads  # its DeadLettersService lists them
    assert dead_letter_topic(BILLS) not in reads
    assert {a.name for a in grants("orders") if a.resource.name == "GROUP"} == {
        "oms.orders",
        "oms.orders.",
    }


async def consumed_in_group(kafka: KafkaAccess, topic: str, group: str) -> list[bytes]:
    """What a consumer in `group` reads of the topic from the beginning, offsets committed."""
    consumer = AIOKafkaConsumer(
        topic, **kafka.client_args(), group_id=group, auto_offset_reset="earliest",
        enable_auto_commit=False,
    )  # fmt: skip
    await consumer.start()
    try:
        batches = await consumer.getmany(timeout_ms=5000)
        await consumer.commit()
        return [r.value for records in batches.values() for r in records]
    finally:
        await consumer.stop()


async def test_a_client_with_an_events_scope_reads_that_topic_in_its_own_groups_until_revoked(
    kafka_bootstrap: str, namespace: str
) -> None:
    for topic in (ORDERS, INVOICES):
        await send(operator(kafka_bootstrap), namespace + topic)
    security = session_security()
    name = f"feed-{uuid.uuid4().hex[:6]}"
    scopes = [f"events:{ORDERS}"]
    security.pki.register_client(name, scopes)
    await grant_clients(operator(kafka_bootstrap), {name: scopes}, namespace)
    client = as_(name, kafka_bootstrap)

    assert await consumed_in_group(client, namespace + ORDERS, f"{name}.feed") == [b"x"]
    assert await readable(client, namespace + INVOICES) is None  # no scope for invoices
    with pytest.raises(GroupAuthorizationFailedError):  # a group outside its own names
        await consumed_in_group(client, namespace + ORDERS, "oms.inventory")
    with pytest.raises((TopicAuthorizationFailedError, ClusterAuthorizationFailedError)):
        await send(client, namespace + ORDERS)  # reading is all it may do

    security.pki.revoke_client(name)
    await grant_clients(operator(kafka_bootstrap), {name: []}, namespace)
    assert await readable(client, namespace + ORDERS) is None
