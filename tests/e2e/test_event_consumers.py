"""Another team reading the suite's events, as that team would: the example consumer
(`examples/consume_orders.py`) with the team's own registered certificate, the topic's scope
`events:oms.orders.sales-order.v1` and a consumer group of its own, against the real broker. It
sees an order's events decoded by their ce_type, tolerates a field it does not know (a newer
producer's), skips an event type it does not know, and commits its offsets, so a restart
resumes after what it handled."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator

import pytest
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.errors import GroupAuthorizationFailedError, TopicAuthorizationFailedError

import examples.consume_orders
from devstack.kafka_acls import grant_clients
from devstack.supervisor import Stack
from examples.consume_orders import TOPIC, Counts, Event, Settings, consume
from messaging.kafka import make_admin, make_producer
from oms.events.v1 import orders_pb2
from omsclient import TlsFiles
from testkit.security import session_security
from testkit.services import publish
from tests.e2e.helpers import Api, new_customer

SCOPE = f"events:{TOPIC}"


class Feed:
    """The example consumer running in the background, collecting what it handles."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.events: list[Event] = []
        self.stop = asyncio.Event()
        self.task: asyncio.Task[Counts] | None = None

    async def handle(self, event: Event) -> None:
        self.events.append(event)

    async def __aenter__(self) -> Feed:
        self.task = asyncio.create_task(consume(self.settings, self.handle, self.stop))
        return self

    async def __aexit__(self, *_: object) -> None:
        self.stop.set()
        if self.task is not None and not self.task.done():
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.wait_for(asyncio.shield(self.task), 30)

    async def counts(self) -> Counts:
        self.stop.set()
        assert self.task is not None
        return await self.task

    async def wait_for(self, key: str, event_type: str, seconds: float = 60) -> Event:
        deadline = asyncio.get_running_loop().time() + seconds
        while True:
            if self.task is not None and self.task.done():
                self.task.result()  # surfaces the consumer's error
            found = [e for e in self.events if e.key == key and e.type == event_type]
            if found:
                return found[0]
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError(f"no {event_type} keyed {key}; saw {len(self.events)}")
            await asyncio.sleep(0.1)


@pytest.fixture
async def team(e2e_stack: Stack) -> AsyncIterator[Settings]:
    """A client registered with the topic's scope, its Kafka ACLs in force."""
    security = session_security()
    name = f"shipping-sync-{uuid.uuid4().hex[:6]}"
    files = security.pki.register_client(name, [SCOPE])
    operator = security.operator_kafka(e2e_stack.kafka_bootstrap)
    await grant_clients(operator, {name: [SCOPE]})
    tls = TlsFiles(files.ca, files.cert, files.key)
    yield Settings(e2e_stack.kafka_bootstrap, tls, f"{name}.order-feed")
    security.pki.revoke_client(name)
    await grant_clients(operator, {name: []})


async def place_order(e2e_stack: Stack) -> str:
    api = Api(e2e_stack.gateway_url, "e2e-order-desk", "admin")
    try:
        product = await api.created(
            "/products",
            {
                "sku": f"SKU-{uuid.uuid4().hex[:8]}",
                "name": "Feed widget",
                "list_price": {"amount": "3.10", "currency": "EUR"},
            },
        )
        order = await api.created(
            "/sales-orders",
            {
                "customer_id": await new_customer(api),
                "currency": "EUR",
                "lines": [{"product_id": product["id"], "quantity": 1}],
            },
        )
        return str(order["id"])
    finally:
        await api.aclose()


async def publish_from_the_future(e2e_stack: Stack, key: str) -> None:
    """What a newer orders service could put on the topic: a known event with a field this
    consumer's contracts lack (#1000), and an event type it has never heard of. No service of
    the suite handles either (SalesOrderStatusChanged is read by no one)."""
    newer = orders_pb2.SalesOrderStatusChanged(
        order_id=key, from_status="placed", to_status="teleported"
    )
    newer.MergeFromString(b"\xc2\x3e\x04warp")  # field 1000, length-delimited: "warp"
    await publish(e2e_stack.kafka_bootstrap, newer, key=key)
    producer = make_producer(session_security().operator_kafka(e2e_stack.kafka_bootstrap), "e2e")
    await producer.start()
    try:
        headers = [
            ("ce_specversion", b"1.0"),
            ("ce_id", str(uuid.uuid4()).encode()),
            ("ce_type", b"oms.orders.SalesOrderTeleported.v1"),
            ("ce_source", b"/oms/orders"),
            ("ce_time", b"2026-01-01T00:00:00+00:00"),
            ("content-type", b"application/protobuf"),
        ]
        await producer.send_and_wait(TOPIC, b"\x0a\x03abc", key=key.encode(), headers=headers)
    finally:
        await producer.stop()


async def committed(e2e_stack: Stack, group: str) -> dict[TopicPartition, int]:
    admin = make_admin(session_security().operator_kafka(e2e_stack.kafka_bootstrap))
    await admin.start()
    try:
        offsets = await admin.list_consumer_group_offsets(group)
    finally:
        await admin.close()
    return {tp: meta.offset for tp, meta in offsets.items()}


async def test_the_example_consumer_reads_an_orders_events_with_a_group_of_its_own(
    e2e_stack: Stack, team: Settings
) -> None:
    order_id = await place_order(e2e_stack)
    future_key = f"future-{uuid.uuid4().hex[:8]}"
    await publish_from_the_future(e2e_stack, future_key)

    async with Feed(team) as feed:
        placed = await feed.wait_for(order_id, "oms.orders.SalesOrderPlaced.v1")
        newer = await feed.wait_for(future_key, "oms.orders.SalesOrderStatusChanged.v1")
        counts = await feed.counts()

    assert isinstance(placed.message, orders_pb2.SalesOrderPlaced)
    assert placed.message.order_id == order_id
    assert [line.quantity for line in placed.message.lines] == [1]
    assert placed.source == "/oms/orders"
    assert isinstance(newer.message, orders_pb2.SalesOrderStatusChanged)
    assert newer.message.to_status == "teleported"  # read on, the unknown field kept aside
    assert counts.skipped.get("oms.orders.SalesOrderTeleported.v1") == 1
    assert counts.handled == len(feed.events)

    offsets = await committed(e2e_stack, team.group)
    partition = TopicPartition(TOPIC, placed.partition)
    assert offsets[partition] > placed.offset

    async with Feed(team) as again:  # a restart resumes after what was handled
        await asyncio.sleep(3)
    assert not [e for e in again.events if e.key in (order_id, future_key)]


async def test_a_group_outside_the_clients_own_names_is_refused(
    e2e_stack: Stack, team: Settings
) -> None:
    stranger = Settings(team.bootstrap, team.tls, f"billing-{uuid.uuid4().hex[:6]}")
    with pytest.raises((GroupAuthorizationFailedError, TopicAuthorizationFailedError)):
        async with Feed(stranger) as feed:
            await feed.wait_for("nothing", "nothing", seconds=20)


async def test_a_consumer_whose_start_is_refused_is_closed_all_the_same(
    team: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The broker refuses a group outside the client's names when the consumer starts: the
    real consumer it refused is stopped all the same, leaving no connection open."""
    stopped: list[bool] = []

    class Watched(AIOKafkaConsumer):  # the real consumer, its stop recorded
        async def stop(self) -> None:
            await super().stop()
            stopped.append(True)

    monkeypatch.setattr(examples.consume_orders, "AIOKafkaConsumer", Watched)
    stranger = Settings(team.bootstrap, team.tls, f"billing-{uuid.uuid4().hex[:6]}")
    with pytest.raises((GroupAuthorizationFailedError, TopicAuthorizationFailedError)):
        await consume(stranger, lambda _: asyncio.sleep(0), asyncio.Event())
    assert stopped == [True]
