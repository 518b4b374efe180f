"""Backorders: what cannot be reserved waits, and arriving or freed stock goes to the orders
waiting for it, first placed first served; cancellation, line changes and expiry release."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from oms.events.v1 import inventory_pb2 as events
from oms.events.v1 import orders_pb2
from oms.inventory.v1 import inventory_pb2 as pb
from services.inventory.tests.integration.conftest import (
    WAREHOUSE,
    Inventory,
    StartInventory,
    new_product,
    placed,
    quantities,
)

RESERVATION_EVENTS = (
    events.StockReserved,
    events.StockPartiallyReserved,
    events.BackorderAllocated,
    events.ReservationReleased,
)


async def test_a_partial_reservation_waits_and_a_receipt_fills_it_first_placed_first(
    inventory: Inventory,
) -> None:
    product, warehouse = await inventory.product(), await inventory.warehouse()
    await inventory.stock(warehouse, product, 5)
    first = placed((product, 8))
    late = placed((product, 2))  # placed before `second`, but it arrives last
    second = placed((product, 3))
    now = datetime.now(UTC)
    async with inventory.events(*RESERVATION_EVENTS) as log:
        await inventory.place(first, time=now - timedelta(minutes=10))
        ((_, partial),) = await log.wait_for(first.order_id)
        assert isinstance(partial, events.StockPartiallyReserved)
        assert quantities(partial.reserved) == [(warehouse, 5)]
        assert [(x.line_id, x.quantity) for x in partial.backordered] == [
            (first.lines[0].line_id, 3)
        ]
        await inventory.place(second, time=now)
        await log.wait_for(second.order_id)
        await inventory.place(late, time=now - timedelta(minutes=5))
        ((_, waiting),) = await log.wait_for(late.order_id)
        assert list(waiting.reserved) == []
        assert [x.quantity for x in waiting.backordered] == [2]

        await inventory.stub.ExpectGoods(
            pb.ExpectGoodsRequest(
                purchase_order_id="PO-1",
                warehouse_id=warehouse,
                lines=[pb.ExpectedLine(product_id=product, quantity=10)],
            ),
            metadata=WAREHOUSE,
        )
        level = await inventory.level(product, warehouse)
        assert (level.on_hand, level.reserved, level.incoming, level.backordered) == (5, 5, 10, 8)

        async with inventory.events(events.GoodsReceived) as receipts:
            reply = await inventory.stub.ReceiveGoods(
                pb.ReceiveGoodsRequest(
                    warehouse_id=warehouse,
                    purchase_order_id="PO-1",
                    lines=[pb.ReceiptLine(product_id=product, quantity=4)],
                ),
                metadata=WAREHOUSE,
            )
            ((_, received),) = await receipts.wait_for(reply.receipt.id)
        assert (received.purchase_order_id, [x.quantity for x in received.lines]) == ("PO-1", [4])
        # the first placed gets its 3 and is complete; the next in line (placed 5 minutes ago,
        # though it arrived last) gets the 1 left; the order placed now still waits for all
        (_, (_, filled)) = await log.wait_for(first.order_id, count=2)
        assert isinstance(filled, events.BackorderAllocated)
        assert (quantities(filled.lines), filled.complete) == ([(warehouse, 3)], True)
        (_, (_, topped)) = await log.wait_for(late.order_id, count=2)
        assert (quantities(topped.lines), topped.complete) == ([(warehouse, 1)], False)
    level = await inventory.level(product, warehouse)
    assert (level.on_hand, level.reserved, level.incoming, level.backordered) == (9, 9, 6, 4)
    ledger = await inventory.ledger(late.order_id)
    assert ledger.status == "open"
    ((line),) = ledger.lines
    assert (line.quantity, line.backordered) == (2, 1)
    assert [(a.warehouse_id, a.reserved) for a in line.allocations] == [(warehouse, 1)]
    assert (await inventory.ledger(second.order_id)).lines[0].backordered == 3


async def test_cancelling_releases_everything_and_the_freed_stock_fills_a_backorder(
    inventory: Inventory,
) -> None:
    product, warehouse = await inventory.product(), await inventory.warehouse()
    await inventory.stock(warehouse, product, 3)
    holder, waiter = placed((product, 3)), placed((product, 2), (new_product(), 1))
    async with inventory.events(*RESERVATION_EVENTS) as log:
        await inventory.place(holder)
        await log.wait_for(holder.order_id)
        await inventory.place(waiter)
        await log.wait_for(waiter.order_id)
        cancelled = orders_pb2.SalesOrderCancelled(order_id=holder.order_id, reason="customer")
        await inventory.publish((cancelled, holder.order_id))
        (_, (_, released)) = await log.wait_for(holder.order_id, count=2)
        assert isinstance(released, events.ReservationReleased)
        assert (released.reason, quantities(released.lines)) == ("cancelled", [(warehouse, 3)])
        (_, (_, filled)) = await log.wait_for(waiter.order_id, count=2)
        # the other line still waits for a product nobody has
        assert (quantities(filled.lines), filled.complete) == ([(warehouse, 2)], False)

        # cancelling the waiter drops its backorder and releases what it got
        cancelled = orders_pb2.SalesOrderCancelled(order_id=waiter.order_id, reason="customer")
        await inventory.publish((cancelled, waiter.order_id))
        (*_, (_, dropped)) = await log.wait_for(waiter.order_id, count=3)
        assert quantities(dropped.lines) == [(warehouse, 2)]
        assert [x.quantity for x in dropped.backorders_dropped] == [1]
    level = await inventory.level(product, warehouse)
    assert (level.on_hand, level.reserved, level.backordered) == (3, 0, 0)
    ledger = await inventory.ledger(holder.order_id)
    assert ledger.status == "cancelled"
    (allocation,) = ledger.lines[0].allocations
    assert (allocation.reserved, allocation.released) == (0, 3)


async def test_changed_lines_release_what_was_cut_and_reserve_or_backorder_what_was_added(
    inventory: Inventory,
) -> None:
    product, warehouse = await inventory.product(), await inventory.warehouse()
    await inventory.stock(warehouse, product, 5)
    order, waiter = placed((product, 4)), placed((product, 3))
    line = order.lines[0]
    async with inventory.events(*RESERVATION_EVENTS) as log:
        await inventory.place(order)
        await log.wait_for(order.order_id)
        await inventory.place(waiter)
        await log.wait_for(waiter.order_id)  # 1 reserved, 2 backordered

        smaller = orders_pb2.SalesOrderLinesChanged(order_id=order.order_id)
        smaller.lines.add().CopyFrom(line)
        smaller.lines[0].quantity = 2
        await inventory.publish((smaller, order.order_id))
        (_, (_, released)) = await log.wait_for(order.order_id, count=2)
        assert (released.reason, quantities(released.lines)) == ("changed", [(warehouse, 2)])
        (_, (_, filled)) = await log.wait_for(waiter.order_id, count=2)
        assert (quantities(filled.lines), filled.complete) == ([(warehouse, 2)], True)

        other = new_product()
        bigger = orders_pb2.SalesOrderLinesChanged(order_id=order.order_id)
        bigger.lines.add().CopyFrom(line)
        bigger.lines[0].quantity = 3
        bigger.lines.add(line_id="new-line", product_id=other, sku="SKU-2", quantity=1)
        await inventory.publish((bigger, order.order_id))
        (*_, (_, state)) = await log.wait_for(order.order_id, count=3)
        assert isinstance(state, events.StockPartiallyReserved)
        assert quantities(state.reserved) == [(warehouse, 2)]
        assert sorted((x.line_id, x.quantity) for x in state.backordered) == sorted(
            [(line.line_id, 1), ("new-line", 1)]
        )
    ledger = await inventory.ledger(order.order_id)
    assert [(x.quantity, x.backordered) for x in ledger.lines] == [(3, 1), (1, 1)]
    (allocation,) = ledger.lines[0].allocations
    assert (allocation.reserved, allocation.released) == (2, 2)


async def test_reservations_of_orders_not_approved_in_time_expire(
    start_inventory: StartInventory,
) -> None:
    # The three are placed and two approved well within the time to live; only the forgotten
    # one outlives it. (Placing the waiter after a fixed sleep raced the expiry on a loaded
    # machine: it then found the stock already freed and never waited.)
    async with start_inventory(
        reservation_ttl_seconds=4.0, expiry_interval_seconds=0.2
    ) as inventory:
        product, warehouse = await inventory.product(), await inventory.warehouse()
        await inventory.stock(warehouse, product, 4)
        approved, forgotten, waiter = (
            placed((product, 1)),
            placed((product, 3)),
            placed((product, 2)),
        )
        async with inventory.events(*RESERVATION_EVENTS) as log:
            for order in (approved, forgotten, waiter):  # the waiter last: it waits behind them
                await inventory.place(order)
                await log.wait_for(order.order_id)
            for order in (approved, waiter):
                approval = orders_pb2.SalesOrderApproved(order_id=order.order_id)
                await inventory.publish((approval, order.order_id))
            ((_, waiting),) = await log.wait_for(waiter.order_id)
            assert not isinstance(waiting, events.StockReserved), "it waits for stock"
            (_, (_, released)) = await log.wait_for(forgotten.order_id, count=2)
            assert isinstance(released, events.ReservationReleased)
            assert (released.reason, quantities(released.lines)) == ("expired", [(warehouse, 3)])
            (_, (_, filled)) = await log.wait_for(waiter.order_id, count=2)
            assert isinstance(filled, events.BackorderAllocated)
            assert filled.complete
        assert (await inventory.ledger(forgotten.order_id)).status == "expired"
        assert (await inventory.ledger(approved.order_id)).status == "approved"
        level = await inventory.level(product, warehouse)
        assert (level.reserved, level.backordered) == (3, 0)
