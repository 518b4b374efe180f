"""Shipping needs an order that orders approved and does not hold: inventory keeps both from the
orders topic (SalesOrderApproved, SalesOrderHoldChanged) and refuses ShipOrder with the reason."""

from __future__ import annotations

import grpc

from oms.events.v1 import inventory_pb2 as events
from oms.events.v1 import orders_pb2
from oms.inventory.v1 import inventory_pb2 as pb
from services.inventory.tests.integration.conftest import (
    WAREHOUSE,
    Inventory,
    eventually,
    failure,
    placed,
)

CREDIT = "credit limit 500.00 EUR exceeded by 120.00 EUR"


async def test_only_an_approved_order_that_is_not_on_hold_ships(inventory: Inventory) -> None:
    product, warehouse = await inventory.product(), await inventory.warehouse()
    await inventory.stock(warehouse, product, 5)
    order = placed((product, 2))
    ship = pb.ShipOrderRequest(order_id=order.order_id, warehouse_id=warehouse, carrier="DHL")

    async def holds(expected: bool) -> bool:
        return (await inventory.ledger(order.order_id)).on_hold is expected

    async with inventory.events(events.StockReserved, events.ShipmentDispatched) as log:
        await inventory.place(order)
        await log.wait_for(order.order_id)
        unapproved = await failure(inventory.stub.ShipOrder(ship, metadata=WAREHOUSE))
        assert unapproved.code() == grpc.StatusCode.FAILED_PRECONDITION
        assert unapproved.details() == f"order {order.order_id} is not approved yet"

        held = orders_pb2.SalesOrderHoldChanged(
            order_id=order.order_id, on_hold=True, reason=CREDIT
        )
        await inventory.publish((held, order.order_id))
        await eventually(lambda: holds(True))
        await inventory.approve(order.order_id)
        ledger = await inventory.ledger(order.order_id)
        assert (ledger.approved, ledger.on_hold, ledger.hold_reason) == (True, True, CREDIT)
        on_hold = await failure(inventory.stub.ShipOrder(ship, metadata=WAREHOUSE))
        assert on_hold.code() == grpc.StatusCode.FAILED_PRECONDITION
        assert on_hold.details() == f"order {order.order_id} is on hold: {CREDIT}"
        assert (await inventory.level(product, warehouse)).on_hand == 5

        released = orders_pb2.SalesOrderHoldChanged(
            order_id=order.order_id, on_hold=False, reason="released by fiona"
        )
        await inventory.publish((released, order.order_id))
        await eventually(lambda: holds(False))
        assert (await inventory.ledger(order.order_id)).hold_reason == ""
        shipped = await inventory.stub.ShipOrder(ship, metadata=WAREHOUSE)
        (_, (_, dispatched)) = await log.wait_for(order.order_id, count=2)
    assert dispatched.shipment_id == shipped.shipment.id
    assert (await inventory.level(product, warehouse)).on_hand == 3
