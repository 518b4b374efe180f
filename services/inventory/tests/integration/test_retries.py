"""A client-supplied request_id on the commands that create a warehouse or move stock: retried,
or sent twice at once, the command has one effect and every call returns its result; the same id
with other content is refused."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import grpc
import pytest

from oms.events.v1 import inventory_pb2 as events
from oms.events.v1 import orders_pb2
from oms.inventory.v1 import inventory_pb2 as pb
from servicekit.grpc import violations_of
from services.inventory.tests.integration.conftest import (
    WAREHOUSE,
    Inventory,
    eventually,
    failure,
    placed,
    refused,
)

R = TypeVar("R")


async def thrice(call: Callable[[], Awaitable[R]]) -> list[R]:
    """Two calls at once, then a retry."""
    together = await asyncio.gather(call(), call())
    return [*together, await call()]


async def assert_other_content_is_refused(call: Awaitable[Any]) -> None:
    error = await failure(call)
    assert error.code() == grpc.StatusCode.ALREADY_EXISTS
    assert [v.field for v in violations_of(error)] == ["request_id"]


async def test_a_warehouse_created_again_or_thrice_at_once_is_created_once(
    inventory: Inventory,
) -> None:
    stub = inventory.stub
    east, west = (f"{side}-{uuid.uuid4().hex[:6]}" for side in ("EAST", "WEST"))
    create = pb.CreateWarehouseRequest(code=east, name="East", priority=5, request_id=east)
    first = (await stub.CreateWarehouse(create, metadata=WAREHOUSE)).warehouse
    # its answer lost, the retry finds the code taken by itself: it answers the first warehouse
    retried = (await stub.CreateWarehouse(create, metadata=WAREHOUSE)).warehouse
    assert retried == first
    # three racing from the start: one creates, the others wait for it and answer it
    twin = pb.CreateWarehouseRequest(code=west, name="West", request_id=west)
    raced = await asyncio.gather(
        *(stub.CreateWarehouse(twin, metadata=WAREHOUSE) for _ in range(3))
    )
    assert len({r.warehouse.id for r in raced}) == 1
    listed = await stub.ListWarehouses(pb.ListWarehousesRequest(), metadata=WAREHOUSE)
    ours = sorted((w.code, w.id) for w in listed.warehouses if w.code in (east, west))
    assert ours == [(east, first.id), (west, raced[0].warehouse.id)]
    create.name = "East side"
    await assert_other_content_is_refused(stub.CreateWarehouse(create, metadata=WAREHOUSE))


async def test_stock_adjustments_transfers_and_receipts_count_once(inventory: Inventory) -> None:
    product, source, target = (
        await inventory.product(),
        await inventory.warehouse(),
        await inventory.warehouse(),
    )
    adjust = pb.AdjustStockRequest(
        warehouse_id=source, product_id=product, quantity_delta=10, reason="count", request_id="a-1"
    )
    adjusted = await thrice(lambda: inventory.stub.AdjustStock(adjust, metadata=WAREHOUSE))
    assert [r.level.on_hand for r in adjusted] == [10, 10, 10]
    adjust.quantity_delta = 11
    await assert_other_content_is_refused(inventory.stub.AdjustStock(adjust, metadata=WAREHOUSE))

    transfer = pb.TransferStockRequest(
        from_warehouse_id=source,
        to_warehouse_id=target,
        product_id=product,
        quantity=4,
        request_id="t-1",
    )
    moved = await thrice(lambda: inventory.stub.TransferStock(transfer, metadata=WAREHOUSE))
    assert len({m.transfer_id for m in moved}) == 1
    assert {(m.from_level.on_hand, m.to_level.on_hand) for m in moved} == {(6, 4)}

    receive = pb.ReceiveGoodsRequest(
        warehouse_id=target,
        lines=[pb.ReceiptLine(product_id=product, quantity=5)],
        request_id="r-1",
    )
    received = await thrice(lambda: inventory.stub.ReceiveGoods(receive, metadata=WAREHOUSE))
    assert len({r.receipt.id for r in received}) == 1
    receive.lines[0].quantity = 6
    await assert_other_content_is_refused(inventory.stub.ReceiveGoods(receive, metadata=WAREHOUSE))
    assert (await inventory.level(product, source)).on_hand == 6
    assert (await inventory.level(product, target)).on_hand == 9


async def test_a_shipment_sent_twice_at_once_and_retried_ships_once(inventory: Inventory) -> None:
    product, warehouse = await inventory.product(), await inventory.warehouse()
    await inventory.stock(warehouse, product, 10)
    order = placed((product, 4))
    line = order.lines[0].line_id
    async with inventory.events(events.StockReserved, events.ShipmentDispatched) as log:
        await inventory.place(order)
        await log.wait_for(order.order_id)
        await inventory.approve(order.order_id)
        ship = pb.ShipOrderRequest(
            order_id=order.order_id,
            warehouse_id=warehouse,
            carrier="DHL",
            lines=[pb.ShipLine(line_id=line, quantity=2)],  # a second one could ship
            request_id=str(uuid.uuid4()),
        )
        shipped = await thrice(lambda: inventory.stub.ShipOrder(ship, metadata=WAREHOUSE))
        assert len({s.shipment.id for s in shipped}) == 1
        await log.wait_for(order.order_id, count=2)
        with pytest.raises(AssertionError):
            await log.wait_for(order.order_id, count=3, seconds=3)
    (allocation,) = (await inventory.ledger(order.order_id)).lines[0].allocations
    assert (allocation.reserved, allocation.consumed) == (2, 2)
    assert (await inventory.level(product, warehouse)).on_hand == 8


async def test_a_return_received_twice_at_once_and_retried_is_put_back_once(
    inventory: Inventory,
) -> None:
    product, warehouse = await inventory.product(), await inventory.warehouse()
    return_id, order_id = str(uuid.uuid4()), str(uuid.uuid4())
    authorized = orders_pb2.ReturnAuthorized(
        return_id=return_id,
        order_id=order_id,
        lines=[orders_pb2.ReturnLine(line_id="l-1", product_id=product, quantity=2)],
    )
    await inventory.publish((authorized, order_id))
    probe = pb.ReceiveReturnRequest(return_id=return_id, warehouse_id="no-such-warehouse")

    async def authorised() -> bool:  # once it is, the probe fails on its warehouse instead
        error = await failure(inventory.stub.ReceiveReturn(probe, metadata=WAREHOUSE))
        return "warehouse" in error.details()

    await eventually(authorised)
    receive = pb.ReceiveReturnRequest(
        return_id=return_id, warehouse_id=warehouse, request_id="back-1"
    )
    received = await thrice(lambda: inventory.stub.ReceiveReturn(receive, metadata=WAREHOUSE))
    assert {(r.received.status, r.received.warehouse_id) for r in received} == {
        ("received", warehouse)
    }
    assert (await inventory.level(product, warehouse)).on_hand == 2
    without_id = pb.ReceiveReturnRequest(return_id=return_id, warehouse_id=warehouse)
    assert (
        await refused(inventory.stub.ReceiveReturn(without_id, metadata=WAREHOUSE))
        == grpc.StatusCode.FAILED_PRECONDITION
    )
