"""Reservations on fakes: an order placed is reserved (or waits, or is rejected without
backorders), once; approval and holds decide whether it ships; the stock never oversells."""

from __future__ import annotations

from datetime import timedelta

from inventory.application.commands.expire_reservations import expire_reservations
from inventory.application.reactions.on_sales_order_hold_changed import (
    HoldChanged,
    on_sales_order_hold_changed,
)
from inventory.domain.events import StockPartiallyReserved, StockRejected, StockReserved
from services.inventory.tests.unit.builders import NOW, FakeInventory, placed


async def stocked(inventory: FakeInventory, units: int) -> tuple[str, str]:
    product, warehouse = inventory.product(), await inventory.warehouse()
    await inventory.stock(warehouse, product, units)
    return product, warehouse


async def test_an_order_is_reserved_from_stock() -> None:
    inventory = FakeInventory()
    product, warehouse = await stocked(inventory, 10)
    order = await inventory.place(placed((product, 3)))
    (reserved,) = inventory.published(StockReserved, order.order_id)
    assert [(x.warehouse_id, x.quantity) for x in reserved.lines] == [(warehouse, 3)]
    level = await inventory.level(product, warehouse)
    assert (level.on_hand, level.reserved, level.available) == (10, 3, 7)
    ledger = await inventory.ledger(order.order_id)
    assert (ledger.status, ledger.approved) == ("open", False)
    assert [m.kind for m, _ in inventory.db.movements] == ["adjustment", "reservation"]
    assert product in inventory.db.locked


async def test_without_backorders_an_order_for_more_than_is_available_is_rejected() -> None:
    inventory = FakeInventory(backorders=False)
    product, warehouse = await stocked(inventory, 1)
    order = await inventory.place(placed((product, 3)))
    (rejected,) = inventory.published(StockRejected, order.order_id)
    assert rejected.reason == "insufficient stock for SKU-1: requested 3, available 1"
    assert [(s.requested, s.available) for s in rejected.shortages] == [(3, 1)]
    assert (await inventory.level(product, warehouse)).reserved == 0
    ledger = await inventory.ledger(order.order_id)
    assert (ledger.status, [x.backordered for x in ledger.lines]) == ("rejected", [0])


async def test_what_is_missing_waits_for_stock() -> None:
    inventory = FakeInventory()
    product, warehouse = await stocked(inventory, 5)
    order = await inventory.place(placed((product, 8)))
    (partial,) = inventory.published(StockPartiallyReserved, order.order_id)
    assert [(x.warehouse_id, x.quantity) for x in partial.reserved] == [(warehouse, 5)]
    assert [(x.line_id, x.quantity) for x in partial.backordered] == [(order.lines[0].line_id, 3)]
    level = await inventory.level(product, warehouse)
    assert (level.reserved, level.backordered) == (5, 3)


async def test_fifty_orders_for_ten_units_reserve_exactly_ten() -> None:
    inventory = FakeInventory()
    product, warehouse = await stocked(inventory, 10)
    orders = [await inventory.place(placed((product, 1))) for _ in range(50)]
    outcomes = [inventory.last(o.order_id) for o in orders]
    assert sum(isinstance(o, StockReserved) for o in outcomes) == 10
    partial = [o for o in outcomes if isinstance(o, StockPartiallyReserved)]
    assert len(partial) == 40
    assert all(len(p.reserved) == 0 and p.backordered[0].quantity == 1 for p in partial)
    level = await inventory.level(product, warehouse)
    assert (level.on_hand, level.reserved, level.available, level.backordered) == (10, 10, 0, 40)


async def test_a_redelivered_order_is_reserved_once() -> None:
    inventory = FakeInventory()
    product, warehouse = await stocked(inventory, 10)
    order = await inventory.place(placed((product, 2)))
    await inventory.place(order)
    assert len(inventory.published(StockReserved, order.order_id)) == 1
    assert (await inventory.level(product, warehouse)).reserved == 2


async def test_only_an_open_order_is_approved_and_holds_come_and_go() -> None:
    inventory = FakeInventory(backorders=False)
    product, _ = await stocked(inventory, 1)
    order = await inventory.place(placed((product, 1)))
    rejected = await inventory.place(placed((product, 5)))
    await inventory.approve(order.order_id)
    await inventory.approve(rejected.order_id)
    await inventory.approve("unknown")
    assert (await inventory.ledger(order.order_id)).approved
    assert (await inventory.ledger(rejected.order_id)).status == "rejected"
    for on_hold, reason in ((True, "credit" * 100), (False, "released")):
        async with inventory.uow() as uow:
            await on_sales_order_hold_changed(uow, HoldChanged(order.order_id, on_hold, reason))
            await on_sales_order_hold_changed(uow, HoldChanged("unknown", on_hold, reason))
        ledger = await inventory.ledger(order.order_id)
        assert (ledger.on_hold, ledger.hold_reason) == (on_hold, reason[:500] if on_hold else "")


async def test_orders_not_approved_in_time_let_their_reservations_go() -> None:
    inventory = FakeInventory()
    product, warehouse = await stocked(inventory, 4)
    approved = await inventory.place(placed((product, 1), placed_at=NOW))
    forgotten = await inventory.place(placed((product, 3), placed_at=NOW))
    await inventory.approve(approved.order_id)
    ttl = timedelta(days=7)
    assert await expire_reservations(inventory.uow, ttl, NOW + ttl) == 0
    assert await expire_reservations(inventory.uow, ttl, NOW + ttl + timedelta(seconds=1)) == 1
    assert (await inventory.ledger(forgotten.order_id)).status == "expired"
    assert (await inventory.ledger(approved.order_id)).status == "approved"
    assert (await inventory.level(product, warehouse)).reserved == 1
    assert await expire_reservations(inventory.uow, ttl, NOW + 2 * ttl) == 0
