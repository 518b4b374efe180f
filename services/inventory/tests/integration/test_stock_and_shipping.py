"""Warehouses by priority, partial shipments from two warehouses and their journey, transfers,
reorder points, receipts and returns."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable

import grpc
import pytest

from oms.events.v1 import inventory_pb2 as events
from oms.events.v1 import orders_pb2, procurement_pb2
from oms.inventory.v1 import inventory_pb2 as pb
from services.inventory.tests.integration.conftest import (
    WAREHOUSE,
    Inventory,
    StartInventory,
    eventually,
    placed,
    quantities,
    refused,
)


async def test_a_split_order_ships_partly_from_two_warehouses_and_travels_to_delivery(
    start_inventory: StartInventory,
) -> None:
    async with start_inventory(allocation_policy="split") as inventory:
        product = await inventory.product()
        second = await inventory.warehouse(priority=2)
        first = await inventory.warehouse(priority=1)
        listed = (await inventory.stub.ListWarehouses(pb.ListWarehousesRequest())).warehouses
        assert [(w.id, w.priority) for w in listed] == [(first, 1), (second, 2)]
        await inventory.stock(first, product, 3)
        await inventory.stock(second, product, 5)
        order = placed((product, 6))
        line = order.lines[0].line_id
        async with inventory.events(
            events.StockReserved, events.ShipmentDispatched, events.ShipmentStatusChanged
        ) as log:
            await inventory.place(order)
            ((_, reserved),) = await log.wait_for(order.order_id)
            assert quantities(reserved.lines) == sorted([(first, 3), (second, 3)])
            await inventory.approve(order.order_id)

            def ship(warehouse: str, *lines: tuple[str, int]) -> pb.ShipOrderRequest:
                return pb.ShipOrderRequest(
                    order_id=order.order_id,
                    warehouse_id=warehouse,
                    carrier="DHL",
                    tracking_number="1Z",
                    lines=[pb.ShipLine(line_id=i, quantity=q) for i, q in lines],
                )

            too_many = inventory.stub.ShipOrder(ship(first, (line, 4)), metadata=WAREHOUSE)
            assert await refused(too_many) == grpc.StatusCode.FAILED_PRECONDITION
            unknown = inventory.stub.ShipOrder(ship(first, ("nope", 1)), metadata=WAREHOUSE)
            assert await refused(unknown) == grpc.StatusCode.FAILED_PRECONDITION
            zero = inventory.stub.ShipOrder(ship(first, (line, 0)), metadata=WAREHOUSE)
            assert await refused(zero) == grpc.StatusCode.INVALID_ARGUMENT

            part = (
                await inventory.stub.ShipOrder(ship(first, (line, 2)), metadata=WAREHOUSE)
            ).shipment
            rest = (await inventory.stub.ShipOrder(ship(second), metadata=WAREHOUSE)).shipment
            assert [(x.line_id, x.quantity) for x in part.lines] == [(line, 2)]
            assert [(x.line_id, x.quantity) for x in rest.lines] == [(line, 3)]
            (_, (_, a), (_, b)) = await log.wait_for(order.order_id, count=3)
            assert [(x.warehouse_id, x.lines[0].quantity) for x in (a, b)] == [
                (first, 2),
                (second, 3),
            ]

            def status(to: str) -> pb.UpdateShipmentStatusRequest:
                return pb.UpdateShipmentStatusRequest(shipment_id=part.id, status=to)

            skipped = inventory.stub.UpdateShipmentStatus(status("delivered"), metadata=WAREHOUSE)
            assert await refused(skipped) == grpc.StatusCode.FAILED_PRECONDITION
            moved = await inventory.stub.UpdateShipmentStatus(
                status("in_transit"), metadata=WAREHOUSE
            )
            assert moved.shipment.status == "in_transit"
            await inventory.stub.UpdateShipmentStatus(status("delivered"), metadata=WAREHOUSE)
            again = await inventory.stub.UpdateShipmentStatus(
                status("delivered"), metadata=WAREHOUSE
            )
            assert again.shipment.status == "delivered"
            back = inventory.stub.UpdateShipmentStatus(status("in_transit"), metadata=WAREHOUSE)
            assert await refused(back) == grpc.StatusCode.FAILED_PRECONDITION
            *_, (_, c), (_, d) = await log.wait_for(order.order_id, count=5)
            assert [(x.from_status, x.to_status) for x in (c, d)] == [
                ("dispatched", "in_transit"),
                ("in_transit", "delivered"),
            ]
            with pytest.raises(AssertionError):
                await log.wait_for(order.order_id, count=6, seconds=2)
        ledger = await inventory.ledger(order.order_id)
        assert [(a.warehouse_id, a.reserved, a.consumed) for a in ledger.lines[0].allocations] == [
            (first, 1, 2),
            (second, 0, 3),
        ]
        assert (await inventory.level(product, first)).on_hand == 1
        assert (await inventory.level(product, second)).on_hand == 2


async def test_a_transfer_moves_stock_but_never_what_is_reserved(
    inventory: Inventory,
) -> None:
    product = await inventory.product()
    source, target = await inventory.warehouse(), await inventory.warehouse()
    await inventory.stock(source, product, 10)
    order = placed((product, 4))
    async with inventory.events(events.StockReserved) as log:
        await inventory.place(order)
        await log.wait_for(order.order_id)

    def transfer(units: int, to: str = target) -> pb.TransferStockRequest:
        return pb.TransferStockRequest(
            from_warehouse_id=source, to_warehouse_id=to, product_id=product, quantity=units
        )

    assert (
        await refused(inventory.stub.TransferStock(transfer(7), metadata=WAREHOUSE))
        == grpc.StatusCode.FAILED_PRECONDITION
    )
    assert (
        await refused(inventory.stub.TransferStock(transfer(1, to=source), metadata=WAREHOUSE))
        == grpc.StatusCode.INVALID_ARGUMENT
    )
    moved = await inventory.stub.TransferStock(transfer(6), metadata=WAREHOUSE)
    assert (moved.from_level.on_hand, moved.from_level.reserved) == (4, 4)
    assert (moved.to_level.on_hand, moved.to_level.available) == (6, 6)


async def test_low_stock_is_announced_once_per_crossing_of_the_reorder_point(
    inventory: Inventory,
) -> None:
    product, warehouse = await inventory.product(), await inventory.warehouse()
    await inventory.stock(warehouse, product, 10)
    set_point = await inventory.stub.SetReorderPoint(
        pb.SetReorderPointRequest(product_id=product, warehouse_id=warehouse, reorder_point=5),
        metadata=WAREHOUSE,
    )
    assert set_point.level.reorder_point == 5
    async with inventory.events(events.LowStock, events.StockReserved) as log:
        for units in (3, 3, 1):  # available 7, then 4 (low), then 3 (still low)
            order = placed((product, units))
            await inventory.place(order)
            await log.wait_for(order.order_id)
        # keyed by product on the stock topic: LowStock, and AvailabilityChanged for every change
        found = await log.wait_for(product, count=4)
        (low,) = [m for _, m in found if isinstance(m, events.LowStock)]
        assert (low.warehouse_id, low.available, low.reorder_point) == (warehouse, 4, 5)
        levels = [m for _, m in found if isinstance(m, events.AvailabilityChanged)]
        assert [(m.warehouse_id, m.available) for m in levels] == [(warehouse, 7), (warehouse, 4),
                                                                   (warehouse, 3)]  # fmt: skip
        await inventory.stock(warehouse, product, 5)  # available 8: not low any more
        await inventory.stock(warehouse, product, -4)  # available 4: low again
        found = await log.wait_for(product, count=7)
        again = [m.available for _, m in found if isinstance(m, events.LowStock)]
        assert again == [4, 4]
        with pytest.raises(AssertionError):
            await log.wait_for(product, count=8, seconds=2)


async def test_an_authorised_return_is_received_once(inventory: Inventory) -> None:
    product, warehouse = await inventory.product(), await inventory.warehouse()
    await inventory.stock(warehouse, product, 1)
    return_id, order_id, line_id = str(uuid.uuid4()), str(uuid.uuid4()), str(uuid.uuid4())
    request = pb.ReceiveReturnRequest(return_id=return_id, warehouse_id=warehouse)
    assert (
        await refused(inventory.stub.ReceiveReturn(request, metadata=WAREHOUSE))
        == grpc.StatusCode.NOT_FOUND
    )
    authorized = orders_pb2.ReturnAuthorized(
        return_id=return_id,
        order_id=order_id,
        lines=[orders_pb2.ReturnLine(line_id=line_id, product_id=product, quantity=2)],
        reason="damaged box",
    )
    async with inventory.events(events.ReturnReceived) as log:
        await inventory.publish((authorized, order_id))
        reply = None
        for _ in range(300):  # until the authorisation has been consumed
            reply = await _receive(inventory, request)
            if reply is not None:
                break
            await asyncio.sleep(0.1)
        assert reply is not None, "the return was never authorised"
        ((envelope, received),) = await log.wait_for(order_id)
    assert (reply.received.status, reply.received.received_by) == ("received", "wendy")
    assert (received.return_id, received.warehouse_id) == (return_id, warehouse)
    assert [(x.line_id, x.product_id, x.quantity) for x in received.lines] == [
        (line_id, product, 2)
    ]
    assert envelope.actor.subject == "wendy"
    assert (await inventory.level(product, warehouse)).on_hand == 3
    assert (
        await refused(inventory.stub.ReceiveReturn(request, metadata=WAREHOUSE))
        == grpc.StatusCode.FAILED_PRECONDITION
    )
    assert (await inventory.level(product, warehouse)).on_hand == 3


async def test_a_retried_receipt_is_applied_once_and_bad_receipts_are_refused(
    inventory: Inventory,
) -> None:
    product, warehouse = await inventory.product(), await inventory.warehouse()
    receipt = pb.ReceiveGoodsRequest(
        warehouse_id=warehouse,
        lines=[pb.ReceiptLine(product_id=product, quantity=5)],
        receipt_id="R-1",
    )
    first = await inventory.stub.ReceiveGoods(receipt, metadata=WAREHOUSE)
    second = await inventory.stub.ReceiveGoods(receipt, metadata=WAREHOUSE)
    assert first.receipt.id == second.receipt.id == "R-1"
    assert (await inventory.level(product, warehouse)).on_hand == 5
    empty = pb.ReceiveGoodsRequest(warehouse_id=warehouse)
    assert await refused(inventory.stub.ReceiveGoods(empty)) == grpc.StatusCode.INVALID_ARGUMENT
    nowhere = pb.ReceiveGoodsRequest(
        warehouse_id="nope", lines=[pb.ReceiptLine(product_id=product, quantity=1)]
    )
    assert await refused(inventory.stub.ReceiveGoods(nowhere)) == grpc.StatusCode.NOT_FOUND
    unknown = pb.ListReservationsRequest(order_id="nope")
    assert await refused(inventory.stub.ListReservations(unknown)) == grpc.StatusCode.NOT_FOUND


async def _receive(
    inventory: Inventory, request: pb.ReceiveReturnRequest
) -> pb.ReceiveReturnResponse | None:
    """The receipt, or None while the return is not known as authorised yet."""
    try:
        return await inventory.stub.ReceiveReturn(request, metadata=WAREHOUSE)
    except grpc.aio.AioRpcError as error:
        if error.code() != grpc.StatusCode.NOT_FOUND:
            raise
        return None


async def test_a_purchase_order_sent_to_its_supplier_is_incoming_until_received(
    inventory: Inventory,
) -> None:
    product, warehouse = await inventory.product(), await inventory.warehouse()
    issued = procurement_pb2.PurchaseOrderIssued(
        purchase_order_id="po-77",
        number="PO-2026-000077",
        warehouse_id=warehouse,
        currency="EUR",
        lines=[procurement_pb2.PurchaseOrderLine(line_id="l1", product_id=product, quantity=12)],
    )
    await inventory.publish((issued, "po-77"), (issued, "po-77"))  # redelivered: no double count

    async def incoming() -> int:
        reply = await inventory.stub.GetStock(pb.GetStockRequest(product_id=product))
        return sum(level.incoming for level in reply.levels)

    await eventually(lambda: _equals(incoming(), 12))
    await inventory.stub.ReceiveGoods(
        pb.ReceiveGoodsRequest(
            warehouse_id=warehouse,
            purchase_order_id="po-77",
            lines=[pb.ReceiptLine(product_id=product, quantity=5)],
        ),
        metadata=WAREHOUSE,
    )
    level = await inventory.level(product, warehouse)
    assert (level.on_hand, level.incoming) == (5, 7)


async def _equals(value: Awaitable[int], expected: int) -> bool:
    return await value == expected


async def test_goods_that_arrive_before_their_purchase_order_is_announced_still_count(
    inventory: Inventory,
) -> None:
    product, warehouse = await inventory.product(), await inventory.warehouse()
    await inventory.stub.ReceiveGoods(
        pb.ReceiveGoodsRequest(
            warehouse_id=warehouse,
            purchase_order_id="po-88",
            lines=[pb.ReceiptLine(product_id=product, quantity=4)],
        ),
        metadata=WAREHOUSE,
    )
    issued = procurement_pb2.PurchaseOrderIssued(
        purchase_order_id="po-88",
        number="PO-2026-000088",
        warehouse_id=warehouse,
        currency="EUR",
        lines=[procurement_pb2.PurchaseOrderLine(line_id="l1", product_id=product, quantity=10)],
    )
    await inventory.publish((issued, "po-88"))

    async def incoming() -> int:
        return (await inventory.level(product, warehouse)).incoming

    await eventually(lambda: _equals(incoming(), 6))
