"""Inventory against the real broker and database: reserve, reject, ship, and never oversell."""

from __future__ import annotations

import asyncio

import grpc
import pytest

from messaging.kafka import make_producer
from oms.events.v1 import inventory_pb2 as events
from oms.inventory.v1 import inventory_pb2 as pb
from services.inventory.tests.integration.conftest import (
    WAREHOUSE,
    Inventory,
    StartInventory,
    placed,
    refused,
)
from testkit.services import operator, publish


async def stocked(inventory: Inventory, units: int) -> tuple[str, str]:
    product, warehouse = await inventory.product(), await inventory.warehouse()
    await inventory.stock(warehouse, product, units)
    return product, warehouse


async def test_an_order_is_reserved_then_shipped(inventory: Inventory) -> None:
    product, warehouse = await stocked(inventory, 10)
    order = placed((product, 3))
    async with inventory.events(events.StockReserved, events.ShipmentDispatched) as log:
        await inventory.place(order)
        ((envelope, reserved),) = await log.wait_for(order.order_id)
        assert envelope.type == "oms.inventory.StockReserved.v1"
        assert [(x.warehouse_id, x.quantity) for x in reserved.lines] == [(warehouse, 3)]
        level = await inventory.level(product, warehouse)
        assert (level.on_hand, level.reserved, level.available) == (10, 3, 7)

        await inventory.approve(order.order_id)
        shipped = await inventory.stub.ShipOrder(
            pb.ShipOrderRequest(
                order_id=order.order_id, warehouse_id=warehouse, carrier="DHL", tracking_number="1Z"
            ),
            metadata=WAREHOUSE,
        )
        assert shipped.shipment.created_by == "wendy"
        (_, (envelope, dispatched)) = await log.wait_for(order.order_id, count=2)
        assert [(x.line_id, x.quantity) for x in dispatched.lines] == [(order.lines[0].line_id, 3)]
        assert envelope.actor.subject == "wendy"
    level = await inventory.level(product, warehouse)
    assert (level.on_hand, level.reserved) == (7, 0)


async def test_without_backorders_an_order_for_more_than_is_available_is_rejected(
    start_inventory: StartInventory,
) -> None:
    async with start_inventory(backorders=False) as inventory:
        product, warehouse = await stocked(inventory, 1)
        order = placed((product, 3))
        async with inventory.events(events.StockRejected) as log:
            await inventory.place(order)
            ((_, rejected),) = await log.wait_for(order.order_id)
        assert rejected.reason == "insufficient stock for SKU-1: requested 3, available 1"
        assert (await inventory.level(product, warehouse)).reserved == 0
        assert (await inventory.ledger(order.order_id)).status == "rejected"


async def test_shipping_without_a_reservation_and_bad_adjustments_are_refused(
    inventory: Inventory,
) -> None:
    product, warehouse = await stocked(inventory, 1)
    ship = pb.ShipOrderRequest(order_id="nope", warehouse_id=warehouse, carrier="DHL")
    assert await refused(inventory.stub.ShipOrder(ship)) == grpc.StatusCode.FAILED_PRECONDITION
    removal = pb.AdjustStockRequest(
        warehouse_id=warehouse, product_id=product, quantity_delta=-2, reason="broken"
    )
    assert await refused(inventory.stub.AdjustStock(removal)) == grpc.StatusCode.FAILED_PRECONDITION
    empty = pb.AdjustStockRequest(warehouse_id=warehouse, product_id=product)
    assert await refused(inventory.stub.AdjustStock(empty)) == grpc.StatusCode.INVALID_ARGUMENT


async def test_fifty_orders_for_ten_units_across_two_replicas_reserve_exactly_ten(
    start_inventory: StartInventory,
) -> None:
    async with start_inventory() as first, start_inventory():
        product, warehouse = await stocked(first, 10)
        orders = [placed((product, 1)) for _ in range(50)]
        async with first.events(events.StockReserved, events.StockPartiallyReserved) as log:
            await first.publish(*[(o, o.order_id) for o in orders])
            outcomes = [(await log.wait_for(o.order_id))[0][1] for o in orders]
        level = await first.level(product, warehouse)
        ledgers = [await first.ledger(o.order_id) for o in orders]
    reserved = [o for o in outcomes if isinstance(o, events.StockReserved)]
    partial = [o for o in outcomes if isinstance(o, events.StockPartiallyReserved)]
    assert (len(reserved), len(partial)) == (10, 40)
    assert all(len(p.reserved) == 0 and p.backordered[0].quantity == 1 for p in partial)
    assert (level.on_hand, level.reserved, level.available, level.backordered) == (10, 10, 0, 40)
    held = sum(a.reserved for x in ledgers for line in x.lines for a in line.allocations)
    assert held == 10
    assert sum(line.backordered for x in ledgers for line in x.lines) == 40


async def test_without_backorders_twenty_orders_for_the_last_unit_across_two_replicas(
    start_inventory: StartInventory,
) -> None:
    async with start_inventory(backorders=False) as first, start_inventory(backorders=False):
        product, _ = await stocked(first, 1)
        orders = [placed((product, 1)) for _ in range(20)]
        async with first.events(events.StockReserved, events.StockRejected) as log:
            await asyncio.gather(
                *[publish(first.bootstrap, o, key=o.order_id, namespace=first.ns) for o in orders]
            )
            outcomes = [(await log.wait_for(o.order_id))[0][0].type for o in orders]
        level = (await first.stub.GetStock(pb.GetStockRequest(product_id=product))).levels[0]
    assert outcomes.count("oms.inventory.StockReserved.v1") == 1
    assert outcomes.count("oms.inventory.StockRejected.v1") == 19
    assert (level.on_hand, level.reserved) == (1, 1)


async def test_a_redelivered_order_is_reserved_once(inventory: Inventory) -> None:
    product, warehouse = await stocked(inventory, 10)
    order = placed((product, 2))
    async with inventory.events(events.StockReserved, events.StockRejected) as log:
        envelope = await inventory.place(order)
        await log.wait_for(order.order_id)
        producer = make_producer(operator(inventory.bootstrap), "test-redelivery")
        await producer.start()
        await producer.send_and_wait(
            envelope.topic, envelope.body, key=order.order_id.encode(), headers=envelope.headers()
        )
        await producer.stop()
        with pytest.raises(AssertionError):
            await log.wait_for(order.order_id, count=2, seconds=3)
    assert (await inventory.level(product, warehouse)).reserved == 2
