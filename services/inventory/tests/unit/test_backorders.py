"""Backorders on fakes: arriving or freed stock goes to the orders waiting for it, first placed
first served; cancellation, line changes and expiry release what orders held."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from inventory.application.commands.expect_goods import ExpectGoods, expect_goods
from inventory.application.commands.expire_reservations import expire_reservations
from inventory.application.commands.receive_goods import ReceiveGoods, receive_goods
from inventory.application.reactions.on_sales_order_cancelled import on_sales_order_cancelled
from inventory.application.reactions.on_sales_order_lines_changed import (
    LinesChanged,
    on_sales_order_lines_changed,
)
from inventory.domain.events import (
    BackorderAllocated,
    GoodsReceived,
    ReservationReleased,
    ReservedLine,
    StockPartiallyReserved,
)
from inventory.domain.reservation import OrderedLine
from services.inventory.tests.unit.builders import NOW, FakeInventory, placed


def quantities(lines: Iterable[ReservedLine]) -> list[tuple[str, int]]:
    return sorted((x.warehouse_id, x.quantity) for x in lines)


async def cancel(inventory: FakeInventory, order_id: str) -> None:
    async with inventory.uow() as uow:
        await on_sales_order_cancelled(uow, order_id)


async def test_a_receipt_fills_backorders_first_placed_first() -> None:
    inventory = FakeInventory()
    product, warehouse = inventory.product(), await inventory.warehouse()
    await inventory.stock(warehouse, product, 5)
    first = await inventory.place(placed((product, 8), placed_at=NOW - timedelta(minutes=10)))
    second = await inventory.place(placed((product, 3), placed_at=NOW))
    late = await inventory.place(placed((product, 2), placed_at=NOW - timedelta(minutes=5)))
    waiting = inventory.last(late.order_id)
    assert isinstance(waiting, StockPartiallyReserved)
    assert (waiting.reserved, [x.quantity for x in waiting.backordered]) == ((), [2])
    lines = [(product, 10)]
    await expect_goods(inventory.uow(), inventory.catalog, ExpectGoods("PO-1", warehouse, lines))
    level = await inventory.level(product, warehouse)
    assert (level.on_hand, level.reserved, level.incoming, level.backordered) == (5, 5, 10, 8)

    command = ReceiveGoods(warehouse, "PO-1", [(product, 4)])
    receipt = await receive_goods(inventory.uow(), inventory.catalog, command)
    (received,) = inventory.published(GoodsReceived, receipt.id)
    assert (received.purchase_order_id, [x.quantity for x in received.lines]) == ("PO-1", [4])
    filled = inventory.last(first.order_id)
    assert isinstance(filled, BackorderAllocated)
    assert (quantities(filled.lines), filled.complete) == ([(warehouse, 3)], True)
    topped = inventory.last(late.order_id)
    assert isinstance(topped, BackorderAllocated)
    assert (quantities(topped.lines), topped.complete) == ([(warehouse, 1)], False)
    level = await inventory.level(product, warehouse)
    assert (level.on_hand, level.reserved, level.incoming, level.backordered) == (9, 9, 6, 4)
    ledger = await inventory.ledger(late.order_id)
    assert (ledger.status, ledger.lines[0].quantity, ledger.lines[0].backordered) == ("open", 2, 1)
    assert [(a.warehouse_id, a.reserved) for a in ledger.lines[0].allocations] == [(warehouse, 1)]
    assert (await inventory.ledger(second.order_id)).lines[0].backordered == 3


async def test_cancelling_releases_everything_and_the_freed_stock_fills_a_backorder() -> None:
    inventory = FakeInventory()
    product, warehouse = inventory.product(), await inventory.warehouse()
    await inventory.stock(warehouse, product, 3)
    holder = await inventory.place(placed((product, 3)))
    waiter = await inventory.place(placed((product, 2), ("P-nobody-has", 1)))
    await cancel(inventory, holder.order_id)
    released = inventory.last(holder.order_id)
    assert isinstance(released, ReservationReleased)
    assert (released.reason, quantities(released.lines)) == ("cancelled", [(warehouse, 3)])
    filled = inventory.last(waiter.order_id)
    assert isinstance(filled, BackorderAllocated)
    assert (quantities(filled.lines), filled.complete) == ([(warehouse, 2)], False)

    await cancel(inventory, waiter.order_id)
    dropped = inventory.last(waiter.order_id)
    assert isinstance(dropped, ReservationReleased)
    assert quantities(dropped.lines) == [(warehouse, 2)]
    assert [x.quantity for x in dropped.backorders_dropped] == [1]
    level = await inventory.level(product, warehouse)
    assert (level.on_hand, level.reserved, level.backordered) == (3, 0, 0)
    ledger = await inventory.ledger(holder.order_id)
    assert ledger.status == "cancelled"
    (allocation,) = ledger.lines[0].allocations
    assert (allocation.reserved, allocation.released) == (0, 3)
    await cancel(inventory, holder.order_id)  # once closed, nothing more happens
    assert inventory.last(holder.order_id) == released


async def test_changed_lines_release_what_was_cut_and_reserve_or_backorder_what_was_added() -> None:
    inventory = FakeInventory()
    product, warehouse = inventory.product(), await inventory.warehouse()
    await inventory.stock(warehouse, product, 5)
    order = await inventory.place(placed((product, 4)))
    waiter = await inventory.place(placed((product, 3)))  # 1 reserved, 2 backordered
    line = order.lines[0]

    async def change(*lines: OrderedLine) -> None:
        async with inventory.uow() as uow:
            changed = LinesChanged(order.order_id, lines)
            await on_sales_order_lines_changed(uow, changed, inventory.rules)

    await change(OrderedLine(line.line_id, product, "SKU-1", 2))
    released = inventory.last(order.order_id)
    assert isinstance(released, ReservationReleased)
    assert (released.reason, quantities(released.lines)) == ("changed", [(warehouse, 2)])
    filled = inventory.last(waiter.order_id)
    assert isinstance(filled, BackorderAllocated)
    assert (quantities(filled.lines), filled.complete) == ([(warehouse, 2)], True)

    await change(
        OrderedLine(line.line_id, product, "SKU-1", 3),
        OrderedLine("new-line", "P-other", "SKU-2", 1),
    )
    state = inventory.last(order.order_id)
    assert isinstance(state, StockPartiallyReserved)
    assert quantities(state.reserved) == [(warehouse, 2)]
    assert sorted((x.line_id, x.quantity) for x in state.backordered) == sorted(
        [(line.line_id, 1), ("new-line", 1)]
    )
    ledger = await inventory.ledger(order.order_id)
    assert [(x.quantity, x.backordered) for x in ledger.lines] == [(3, 1), (1, 1)]
    (allocation,) = ledger.lines[0].allocations
    assert (allocation.reserved, allocation.released) == (2, 2)


async def test_freed_units_of_a_cut_line_go_to_another_line_of_the_same_order() -> None:
    inventory = FakeInventory()
    product, warehouse = inventory.product(), await inventory.warehouse()
    await inventory.stock(warehouse, product, 2)
    order = await inventory.place(placed((product, 2)))
    (line,) = order.lines
    async with inventory.uow() as uow:
        wanted = [
            OrderedLine(line.line_id, product, "SKU-1", 1),
            OrderedLine("more", product, "SKU-1", 1),
        ]
        await on_sales_order_lines_changed(
            uow, LinesChanged(order.order_id, wanted), inventory.rules
        )
    ledger = await inventory.ledger(order.order_id)
    assert [(x.line_id, x.backordered) for x in ledger.lines] == [(line.line_id, 0), ("more", 0)]
    assert [a.reserved for x in ledger.lines for a in x.allocations] == [1, 1]
    assert not inventory.published(BackorderAllocated, order.order_id)  # it says it itself
    assert (await inventory.level(product, warehouse)).reserved == 2


async def test_an_expired_order_frees_its_stock_for_an_order_that_waits() -> None:
    inventory = FakeInventory()
    product, warehouse = inventory.product(), await inventory.warehouse()
    await inventory.stock(warehouse, product, 3)
    forgotten = await inventory.place(placed((product, 3), placed_at=NOW - timedelta(days=8)))
    waiter = await inventory.place(placed((product, 2), placed_at=NOW))
    assert await expire_reservations(inventory.uow, timedelta(days=7), NOW) == 1
    released = inventory.last(forgotten.order_id)
    assert isinstance(released, ReservationReleased)
    assert (released.reason, quantities(released.lines)) == ("expired", [(warehouse, 3)])
    filled = inventory.last(waiter.order_id)
    assert isinstance(filled, BackorderAllocated)
    assert filled.complete
    level = await inventory.level(product, warehouse)
    assert (level.reserved, level.backordered) == (2, 0)
