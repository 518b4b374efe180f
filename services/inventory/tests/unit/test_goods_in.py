"""Goods in on fakes: receipts (once per receipt id and request id), what purchase orders bring
(announced by ExpectGoods or PurchaseOrderIssued), incoming until it arrives."""

from __future__ import annotations

import pytest

from inventory.application.commands.expect_goods import ExpectGoods, expect_goods
from inventory.application.commands.receive_goods import ReceiveGoods, receive_goods
from inventory.application.ports import ClientRequest
from inventory.application.reactions.on_purchase_order_issued import on_purchase_order_issued
from inventory.application.reactions.on_purchase_order_reduced import (
    PurchaseOrderReduced,
    on_purchase_order_reduced,
)
from inventory.domain.events import GoodsReceived
from inventory.domain.receipt import CancelledLine, Expectation, Receipt
from oms.inventory.v1 import inventory_pb2 as pb
from servicekit.errors import AlreadyExists, FailedPrecondition, InvalidArgument, NotFound
from servicekit.idempotency import fingerprint
from services.inventory.tests.unit.builders import FakeInventory


async def receive(inventory: FakeInventory, command: ReceiveGoods) -> Receipt:
    return await receive_goods(inventory.uow(), inventory.catalog, command)


async def expect(inventory: FakeInventory, command: ExpectGoods) -> Expectation:
    return await expect_goods(inventory.uow(), inventory.catalog, command)


async def incoming(inventory: FakeInventory, product: str, warehouse: str) -> int:
    return (await inventory.level(product, warehouse)).incoming


async def test_a_receipt_is_applied_once_per_receipt_id_and_per_request_id() -> None:
    inventory = FakeInventory()
    product, warehouse = inventory.product(), await inventory.warehouse()
    named = ReceiveGoods(warehouse, "", [(product, 5)], "R-1")
    assert [(await receive(inventory, named)).id for _ in "ab"] == ["R-1", "R-1"]
    wire = pb.ReceiveGoodsRequest(request_id="r-1", lines=[pb.ReceiptLine(quantity=5)])
    retried = ReceiveGoods(
        warehouse, "", [(product, 5)], "", ClientRequest("r-1", fingerprint(wire))
    )
    assert len({(await receive(inventory, retried)).id for _ in "ab"}) == 1
    assert (await inventory.level(product, warehouse)).on_hand == 10
    assert len(inventory.published(GoodsReceived)) == 2
    wire.lines[0].quantity = 6
    other = ReceiveGoods(warehouse, "", [(product, 6)], "", ClientRequest("r-1", fingerprint(wire)))
    with pytest.raises(AlreadyExists):
        await receive(inventory, other)
    entry = next(e for e in inventory.db.audit if e.entity_type == "receipt")
    assert (entry.entity_id, entry.action, entry.before) == ("R-1", "received", None)
    assert entry.after == {
        "warehouse_id": warehouse,
        "purchase_order_id": "",
        "lines": [{"product_id": product, "quantity": 5}],
    }


async def test_bad_receipts_are_refused() -> None:
    inventory = FakeInventory()
    product, warehouse = inventory.product(), await inventory.warehouse()
    with pytest.raises(InvalidArgument):
        await receive(inventory, ReceiveGoods(warehouse, "", []))
    with pytest.raises(NotFound):
        await receive(inventory, ReceiveGoods("nope", "", [(product, 1)]))
    with pytest.raises(InvalidArgument) as unknown:
        await receive(inventory, ReceiveGoods(warehouse, "", [(product, 1), ("P-x", 1)]))
    assert [v.field for v in unknown.value.violations] == ["lines[1].product_id"]
    with pytest.raises(InvalidArgument) as unannounced:
        await expect(inventory, ExpectGoods("PO-9", warehouse, [(product, 1), ("P-x", 1)]))
    assert [v.field for v in unannounced.value.violations] == ["lines[1].product_id"]
    assert inventory.db.levels == {}


async def test_announced_goods_are_incoming_until_received_and_replaced_when_announced_again() -> (
    None
):
    inventory = FakeInventory()
    product, other, warehouse = (
        inventory.product(),
        inventory.product(),
        await inventory.warehouse(),
    )
    first = await expect(inventory, ExpectGoods("PO-1", warehouse, [(product, 10), (other, 2)]))
    assert sorted((x.product_id, x.quantity) for x in first.lines) == sorted(
        [(product, 10), (other, 2)]
    )
    again = await expect(inventory, ExpectGoods("PO-1", warehouse, [(product, 12)]))
    assert [(x.product_id, x.quantity, x.received) for x in again.lines] == [(product, 12, 0)]
    assert await incoming(inventory, other, warehouse) == 0
    await receive(inventory, ReceiveGoods(warehouse, "PO-1", [(product, 5)]))
    level = await inventory.level(product, warehouse)
    assert (level.on_hand, level.incoming) == (5, 7)
    entry = inventory.db.audit[-2]  # the receipt's entry comes last
    assert (entry.entity_type, entry.entity_id, entry.action) == (
        "expected_goods",
        "PO-1",
        "announced",
    )
    assert entry.after == {
        "warehouse_id": warehouse,
        "lines": [{"product_id": product, "quantity": 12}],
    }


async def test_a_purchase_order_issued_is_incoming_and_goods_that_came_first_still_count() -> None:
    inventory = FakeInventory()
    product, warehouse = inventory.product(), await inventory.warehouse()
    await receive(inventory, ReceiveGoods(warehouse, "po-88", [(product, 4)]))
    issued = ExpectGoods("po-88", warehouse, [(product, 10)])
    for _ in "ab":  # redelivered: no double count
        async with inventory.uow() as uow:
            await on_purchase_order_issued(uow, issued)
    assert await incoming(inventory, product, warehouse) == 6


async def test_a_purchase_order_inventory_cannot_keep_is_refused() -> None:
    inventory = FakeInventory()
    product, warehouse = inventory.product(), await inventory.warehouse()
    for issued, error in (
        (ExpectGoods("po-1", "nowhere", [(product, 1)]), NotFound),
        (ExpectGoods("po-1", warehouse, [(product, 0)]), InvalidArgument),
    ):
        with pytest.raises(error):
            async with inventory.uow() as uow:
                await on_purchase_order_issued(uow, issued)
    assert inventory.db.expected == {}


async def test_units_a_purchase_order_cancelled_are_no_longer_incoming_and_refused() -> None:
    inventory = FakeInventory()
    product, other, warehouse = (
        inventory.product(),
        inventory.product(),
        await inventory.warehouse(),
    )
    await expect(inventory, ExpectGoods("PO-7", warehouse, [(product, 10), (other, 5)]))
    await receive(inventory, ReceiveGoods(warehouse, "PO-7", [(product, 4)]))
    cut = PurchaseOrderReduced(
        "PO-7",
        warehouse,
        (CancelledLine(product, 4, 6), CancelledLine(other, 0, 5)),
        "supplier out of stock",
    )
    for _ in "ab":  # redelivered: the same totals
        async with inventory.uow() as uow:
            await on_purchase_order_reduced(uow, cut)
    assert await incoming(inventory, product, warehouse) == 0
    assert await incoming(inventory, other, warehouse) == 0
    with pytest.raises(FailedPrecondition) as refused:
        await receive(inventory, ReceiveGoods(warehouse, "PO-7", [(other, 1), (product, 1)]))
    assert {v.field: v.description for v in refused.value.violations} == {
        "lines[0].quantity": f"purchase order PO-7 cancelled 5 units of {other}: 0 still to "
        "receive (0 ordered, 0 received)",
        "lines[1].quantity": f"purchase order PO-7 cancelled 6 units of {product}: 0 still to "
        "receive (4 ordered, 4 received)",
    }
    assert (await inventory.level(product, warehouse)).on_hand == 4
    entry = inventory.db.audit[-1]
    assert (entry.entity_id, entry.action, entry.after["reason"]) == (
        "PO-7",
        "cancelled",
        "supplier out of stock",
    )


async def test_a_line_reduced_still_takes_what_is_left_of_it() -> None:
    inventory = FakeInventory()
    product, warehouse = inventory.product(), await inventory.warehouse()
    await expect(inventory, ExpectGoods("PO-8", warehouse, [(product, 10)]))
    async with inventory.uow() as uow:
        await on_purchase_order_reduced(
            uow, PurchaseOrderReduced("PO-8", warehouse, (CancelledLine(product, 7, 3),), "")
        )
    assert await incoming(inventory, product, warehouse) == 7
    await receive(inventory, ReceiveGoods(warehouse, "PO-8", [(product, 7)]))
    with pytest.raises(FailedPrecondition):
        await receive(inventory, ReceiveGoods(warehouse, "PO-8", [(product, 1)]))
    # goods not against the purchase order are never refused
    await receive(inventory, ReceiveGoods(warehouse, "", [(product, 1)]))
    assert (await inventory.level(product, warehouse)).on_hand == 8
