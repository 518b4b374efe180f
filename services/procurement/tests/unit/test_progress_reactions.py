"""What goods and bills reported by inventory and billing do to a purchase order, on fakes:
each move announced and recorded with the report; bills and goods in either order; reports for
unknown orders ignored."""

from __future__ import annotations

import pytest

from procurement.application.commands.create_purchase_order import (
    CreatePurchaseOrder,
    create_purchase_order,
)
from procurement.application.commands.send_purchase_order import (
    SendPurchaseOrder,
    send_purchase_order,
)
from procurement.application.ports import Ports
from procurement.application.reactions.on_bill_paid import BillPaid, on_bill_paid
from procurement.application.reactions.on_bill_recorded import BillRecorded, on_bill_recorded
from procurement.application.reactions.on_bill_released import BillReleased, on_bill_released
from procurement.application.reactions.on_goods_received import GoodsReceived, on_goods_received
from procurement.domain.events import PurchaseOrderStatusChanged
from procurement.domain.purchase_orders import PurchaseOrder
from services.procurement.tests.unit.builders import a_supplier, as_user, content, line
from services.procurement.tests.unit.fakes import FakeStore, FakeUnitOfWork, fake_ports

Report = GoodsReceived | BillRecorded | BillReleased | BillPaid


async def report(ports: Ports, store: FakeStore, event: Report) -> None:
    """The event, applied as the consumer applies it: in one unit of work, as its actor."""
    async with FakeUnitOfWork(store) as uow:
        with as_user("test"):
            match event:
                case GoodsReceived():
                    await on_goods_received(uow, ports.clock, event)
                case BillRecorded():
                    await on_bill_recorded(uow, ports.clock, event)
                case BillReleased():
                    await on_bill_released(uow, ports.clock, event)
                case BillPaid():
                    await on_bill_paid(uow, ports.clock, event)


async def a_sent_order(ports: Ports) -> PurchaseOrder:
    acme = await a_supplier(ports)
    entered = content(acme.id, line("p-1", 100, "0.10"), line("p-2", 40, "0.06"))
    order = await create_purchase_order(ports, CreatePurchaseOrder(entered))
    return await send_purchase_order(ports, SendPurchaseOrder(order.id))


def moves(store: FakeStore) -> list[tuple[str, str]]:
    return [
        (e.from_status, e.to_status)
        for e in store.published
        if isinstance(e, PurchaseOrderStatusChanged)
    ]


@pytest.fixture
def store() -> FakeStore:
    return FakeStore()


async def test_received_twice_billed_and_paid(store: FakeStore) -> None:
    ports = fake_ports(store)
    order = await a_sent_order(ports)
    await report(ports, store, GoodsReceived("r-0", "no-such-po", "w-1", (("p-1", 5),)))
    await report(ports, store, GoodsReceived("r-9", "", "w-1", (("p-1", 5),)))
    received = (("p-1", 100), ("p-2", 6), ("p-2", 4), ("p-3", 0))
    await report(ports, store, GoodsReceived("r-1", order.id, "w-1", received))
    await report(ports, store, GoodsReceived("r-1", order.id, "w-1", received))  # again
    await report(ports, store, GoodsReceived("r-2", order.id, "w-1", (("p-2", 32),)))
    await report(
        ports, store, BillRecorded("b-1", order.id, "matched", (("p-1", 100), ("p-2", 40)))
    )
    await report(ports, store, BillPaid("b-1", order.id))
    assert moves(store) == [
        ("draft", "sent"),
        ("sent", "partially_received"),
        ("partially_received", "received"),
        ("received", "billed"),
        ("billed", "closed"),
    ]
    final = store.orders[order.id]
    assert (final.status, final.bill_id, final.bill_status) == ("closed", "b-1", "paid")
    assert [(r.receipt_id, r.product_id, r.quantity, r.note) for r in final.receipts] == [
        ("r-1", "p-1", 100, ""),
        ("r-1", "p-2", 10, ""),
        ("r-2", "p-2", 32, "over-received: 42 in all, 40 ordered"),
    ]
    entries = store.entries("purchase_order", order.id)
    assert [(e.action, e.actor) for e in entries][2:] == [
        ("goods_received", "test"),
        ("goods_received", "test"),
        ("bill_recorded", "test"),
        ("bill_paid", "test"),
    ]
    assert (entries[2].before, entries[2].after) == (
        {"status": "sent", "received": {"p-1": 0, "p-2": 0}},
        {"status": "partially_received", "received": {"p-1": 100, "p-2": 10}, "receipt_id": "r-1"},
    )
    assert len(store.orders) == 1


async def test_a_bill_before_the_goods_waits_and_a_held_one_moves_nothing_until_released(
    store: FakeStore,
) -> None:
    ports = fake_ports(store)
    order = await a_sent_order(ports)
    await report(ports, store, BillRecorded("b-1", order.id, "held", (("p-1", 100), ("p-2", 40))))
    assert store.orders[order.id].bill_status == "held"
    await report(ports, store, BillReleased("b-1", order.id))
    assert store.orders[order.id].bill_status == "matched"
    await report(ports, store, BillPaid("b-1", order.id))
    assert moves(store) == [("draft", "sent")]
    await report(ports, store, GoodsReceived("r-1", order.id, "w-1", (("p-1", 100), ("p-2", 40))))
    assert moves(store)[1:] == [
        ("sent", "received"),
        ("received", "billed"),
        ("billed", "closed"),
    ]
    actions = [e.action for e in store.entries("purchase_order", order.id)]
    assert actions[2:] == ["bill_recorded", "bill_released", "bill_paid", "goods_received"]
