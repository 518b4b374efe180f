"""The activity journal against the real broker and database: an order's own events and those of
the other services that name it (or its invoice) become its timeline, with actor, cause,
correlation and trace id; a payment naming only its invoice lands on the order; a rebuild from
the topics gives the same timeline."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC

import grpc
import pytest

from messaging.envelope import Envelope
from messaging.events import source_of, topic_of, topic_owner
from messaging.kafka import KafkaAccess, make_producer
from oms.events.v1 import billing_pb2, inventory_pb2
from oms.ops.v1 import dead_letters_pb2 as ops
from oms.ops.v1 import dead_letters_pb2_grpc
from oms.orders.v1 import customers_pb2_grpc, orders_pb2_grpc
from oms.orders.v1 import orders_pb2 as pb
from oms.types.v1.types_pb2 import Money
from orders.adapters.activity import SqlActivity
from orders.domain.activity import Entry
from orders.entrypoints.activity import rebuild
from servicekit.context import Principal, acting
from servicekit.db import Database
from services.orders.tests.integration.conftest import Service, a_customer, a_product, an_order
from testkit.security import session_security
from testkit.services import as_user, operator

SAM = as_user("sam", "sales")
KIM = as_user("kim", "sales")
WAREHOUSE = as_user("walt", "warehouse")
ADMIN = as_user("ada", "admin")
TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"


async def emit(
    bootstrap: str, ns: str, message: object, key: str, who: str, cause: str
) -> Envelope:
    """Publishes as the owning service would, in a trace and on behalf of `who`."""
    owner = topic_owner(topic_of(message))  # type: ignore[arg-type]
    with acting(Principal(who, ("finance",)), "flow-1", cause):
        envelope = Envelope.wrap(message, source=source_of(owner), key=key, namespace=ns)  # type: ignore[arg-type]
    envelope = replace(envelope, trace_headers={"traceparent": f"00-{TRACE}-00f067aa0ba902b7-01"})
    await send(bootstrap, envelope)
    return envelope


async def send(bootstrap: str, envelope: Envelope) -> None:
    """Publishes the envelope as it is: sent again, it is a redelivery of the same event."""
    producer = make_producer(operator(bootstrap), "test-publisher")
    await producer.start()
    try:
        await producer.send_and_wait(
            envelope.topic, envelope.body, key=envelope.key.encode(), headers=envelope.headers()
        )
    finally:
        await producer.stop()


async def timeline_of(
    stub: orders_pb2_grpc.OrdersServiceStub, order_id: str, kinds: set[str]
) -> list[pb.TimelineEntry]:
    """The order's timeline once it holds an entry of each of `kinds`."""
    for _ in range(200):
        found = await stub.GetOrderTimeline(pb.GetOrderTimelineRequest(order_id=order_id))
        if kinds <= {e.event_type for e in found.entries}:
            return list(found.entries)
        await asyncio.sleep(0.1)
    raise AssertionError(f"timeline of {order_id}: {list(found.entries)}")


async def test_events_of_every_service_make_the_orders_timeline_and_a_rebuild_repeats_it(
    service: Service, catalog: str, kafka_bootstrap: str
) -> None:
    stub = orders_pb2_grpc.OrdersServiceStub(service.channel)
    customer = await a_customer(customers_pb2_grpc.CustomersServiceStub(service.channel))
    product = await a_product(catalog)
    order = (await stub.PlaceSalesOrder(an_order(product, customer=customer), metadata=SAM)).order
    ns, bootstrap = service.namespace, kafka_bootstrap
    # a payment read before its invoice: it is kept under the invoice until the link comes
    paid = billing_pb2.PaymentReceived(
        payment_id="pay-1",
        invoice_id=f"inv-{order.id}",
        amount=Money(amount="37.50", currency="EUR"),
    )
    payment = await emit(bootstrap, ns, paid, key=f"inv-{order.id}", who="fiona", cause="c-9")
    reserved = inventory_pb2.StockReserved(order_id=order.id)
    await emit(bootstrap, ns, reserved, key=order.id, who="system", cause="c-1")
    issued = billing_pb2.InvoiceIssued(
        invoice_id=f"inv-{order.id}",
        number="INV-1",
        order_id=order.id,
        total=Money(amount="37.50", currency="EUR"),
    )
    await emit(bootstrap, ns, issued, key=order.id, who="system", cause="c-2")

    # placed (and its status moves, published by orders itself), reserved, issued, paid
    kinds = {
        "oms.orders.SalesOrderPlaced.v1",
        "oms.inventory.StockReserved.v1",
        "oms.billing.InvoiceIssued.v1",
    }
    entries = await timeline_of(stub, order.id, kinds)
    assert [e.at.ToDatetime() for e in entries] == sorted(e.at.ToDatetime() for e in entries)
    placed = next(e for e in entries if e.event_type == "oms.orders.SalesOrderPlaced.v1")
    assert (placed.service, placed.actor) == ("orders", "sam")
    on_payment = await _until_has(stub, order.id, payment.event_id)
    assert (on_payment.service, on_payment.actor, on_payment.cause_id) == (
        "billing",
        "fiona",
        "c-9",
    )
    assert (on_payment.correlation_id, on_payment.trace_id) == ("flow-1", TRACE)
    assert on_payment.summary == f"Payment received on invoice inv-{order.id}"
    assert all("37.5" not in e.summary for e in entries)

    # the warehouse reads it; another salesperson does not reach the order
    seen = await stub.GetOrderTimeline(
        pb.GetOrderTimelineRequest(order_id=order.id), metadata=WAREHOUSE
    )
    assert len(seen.entries) >= 4
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await stub.GetOrderTimeline(pb.GetOrderTimelineRequest(order_id=order.id), metadata=KIM)
    assert refused.value.code() == grpc.StatusCode.PERMISSION_DENIED

    before = await settled(stub, order.id)  # orders' own reactions may add a little more
    # the group keeps no inbox: a redelivered event writes nothing new and is no dead letter
    await send(bootstrap, payment)
    marker = billing_pb2.PaymentReceived(payment_id="pay-2", invoice_id=paid.invoice_id)
    later = await emit(bootstrap, ns, marker, key=f"inv-{order.id}", who="fiona", cause="c-10")
    await _until_has(stub, order.id, later.event_id)  # same partition: the copy came first
    assert [e.event_id for e in await settled(stub, order.id)] == [
        *(e.event_id for e in before),
        later.event_id,
    ]
    letters = dead_letters_pb2_grpc.DeadLettersServiceStub(service.channel)
    listed = await letters.ListDeadLetters(ops.ListDeadLettersRequest(), metadata=ADMIN)
    assert [x.event_id for x in listed.dead_letters if x.group == "oms.orders.activity"] == []
    before = await settled(stub, order.id)
    database = Database(service.url)
    try:
        async with database.transaction() as session:  # what no topic holds: a rebuild drops it
            stray = pb.TimelineEntry(event_id="not-on-any-topic", at=before[0].at)
            await SqlActivity(session).record([_entry(order.id, stray)], [])
        assert len(await settled(stub, order.id)) == len(before) + 1
        # on orders' own Kafka identity: its ACLs let it read every topic the journal reads
        orders_kafka = KafkaAccess.of(bootstrap, session_security().pki.files("orders"))
        read = await rebuild(database, orders_kafka, ns)
    finally:
        await database.dispose()
    assert read >= len(before)
    after = (await stub.GetOrderTimeline(pb.GetOrderTimelineRequest(order_id=order.id))).entries
    assert list(after) == list(before)


def _entry(order_id: str, shown: pb.TimelineEntry) -> Entry:
    return Entry(
        order_id,
        shown.event_id,
        shown.at.ToDatetime(tzinfo=UTC),
        shown.service,
        shown.event_type,
        shown.summary,
        shown.actor,
        shown.cause_id,
        shown.correlation_id,
        shown.trace_id,
    )


async def settled(stub: orders_pb2_grpc.OrdersServiceStub, order_id: str) -> list[pb.TimelineEntry]:
    """The timeline once it has not changed for a second."""
    ask = pb.GetOrderTimelineRequest(order_id=order_id)
    last = list((await stub.GetOrderTimeline(ask)).entries)
    for _ in range(30):
        await asyncio.sleep(1.0)
        now = list((await stub.GetOrderTimeline(ask)).entries)
        if now == last:
            return now
        last = now
    raise AssertionError(f"the timeline of {order_id} never settled")


async def _until_has(
    stub: orders_pb2_grpc.OrdersServiceStub, order_id: str, event_id: str
) -> pb.TimelineEntry:
    for _ in range(200):
        found = await stub.GetOrderTimeline(pb.GetOrderTimelineRequest(order_id=order_id))
        for entry in found.entries:
            if entry.event_id == event_id:
                return entry
        await asyncio.sleep(0.1)
    raise AssertionError(f"{event_id} never reached {order_id}'s timeline")
