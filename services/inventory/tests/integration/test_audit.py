"""Every change inventory makes on a person's word is in its change log, with who, before and
after, and readable per entity (oms.audit.v1.AuditService) by finance."""

from __future__ import annotations

import json
import uuid
from typing import Any

import grpc

from oms.audit.v1 import audit_pb2
from oms.events.v1 import inventory_pb2 as events
from oms.events.v1 import orders_pb2
from oms.inventory.v1 import inventory_pb2 as pb
from services.inventory.tests.integration.conftest import (
    WAREHOUSE,
    Inventory,
    eventually,
    placed,
)
from testkit.services import as_user


async def changes(inventory: Inventory, entity_type: str, entity_id: str) -> list[Any]:
    """(action, actor, before, after) of the entity's entries, oldest first."""
    reply = await inventory.audit.ListAuditEntries(
        audit_pb2.ListAuditEntriesRequest(entity_type=entity_type, entity_id=entity_id),
        metadata=as_user("fay", "finance"),
    )
    return [
        (
            e.action,
            e.actor,
            json.loads(e.before_json) if e.before_json else None,
            json.loads(e.after_json) if e.after_json else None,
        )
        for e in reversed(reply.entries)
    ]


async def test_stock_changes_are_logged_with_who_before_and_after(inventory: Inventory) -> None:
    product, source, target = (
        await inventory.product(),
        await inventory.warehouse(),
        await inventory.warehouse(),
    )
    await inventory.stock(source, product, 10)
    transfer = await inventory.stub.TransferStock(
        pb.TransferStockRequest(
            from_warehouse_id=source,
            to_warehouse_id=target,
            product_id=product,
            quantity=4,
            reason="rebalance",
        ),
        metadata=WAREHOUSE,
    )
    await inventory.stub.SetReorderPoint(
        pb.SetReorderPointRequest(product_id=product, warehouse_id=target, reorder_point=2),
        metadata=as_user("pia", "purchasing"),
    )
    receipt = await inventory.stub.ReceiveGoods(
        pb.ReceiveGoodsRequest(
            warehouse_id=target,
            purchase_order_id="PO-5",
            lines=[pb.ReceiptLine(product_id=product, quantity=3)],
        ),
        metadata=WAREHOUSE,
    )
    await inventory.stub.ExpectGoods(
        pb.ExpectGoodsRequest(
            purchase_order_id="PO-6",
            warehouse_id=target,
            lines=[pb.ExpectedLine(product_id=product, quantity=7)],
        ),
        metadata=as_user("pia", "purchasing"),
    )
    assert await changes(inventory, "stock", product) == [
        (
            "adjusted",
            "wendy",
            {"warehouse_id": source, "on_hand": 0},
            {"warehouse_id": source, "on_hand": 10, "reason": "count"},
        ),
        (
            "transferred",
            "wendy",
            {
                "from": {"warehouse_id": source, "on_hand": 10},
                "to": {"warehouse_id": target, "on_hand": 0},
            },
            {
                "from": {"warehouse_id": source, "on_hand": 6},
                "to": {"warehouse_id": target, "on_hand": 4},
                "quantity": 4,
                "reason": "rebalance",
                "transfer_id": transfer.transfer_id,
            },
        ),
        (
            "reorder_point_set",
            "pia",
            {"warehouse_id": target, "reorder_point": 0},
            {"warehouse_id": target, "reorder_point": 2},
        ),
    ]
    assert await changes(inventory, "receipt", receipt.receipt.id) == [
        (
            "received",
            "wendy",
            None,
            {
                "warehouse_id": target,
                "purchase_order_id": "PO-5",
                "lines": [{"product_id": product, "quantity": 3}],
            },
        )
    ]
    assert await changes(inventory, "expected_goods", "PO-6") == [
        (
            "announced",
            "pia",
            None,
            {"warehouse_id": target, "lines": [{"product_id": product, "quantity": 7}]},
        )
    ]
    (created,) = await changes(inventory, "warehouse", source)
    assert created[:3] == ("created", "wendy", None)


async def test_shipments_their_journey_and_returns_are_logged(inventory: Inventory) -> None:
    product, warehouse = await inventory.product(), await inventory.warehouse()
    await inventory.stock(warehouse, product, 5)
    order = placed((product, 2))
    async with inventory.events(events.StockReserved) as log:
        await inventory.place(order)
        await log.wait_for(order.order_id)
    await inventory.approve(order.order_id)
    shipment = (
        await inventory.stub.ShipOrder(
            pb.ShipOrderRequest(
                order_id=order.order_id, warehouse_id=warehouse, carrier="DHL", tracking_number="1Z"
            ),
            metadata=WAREHOUSE,
        )
    ).shipment
    await inventory.stub.UpdateShipmentStatus(
        pb.UpdateShipmentStatusRequest(shipment_id=shipment.id, status="in_transit"),
        metadata=as_user("walt", "warehouse"),
    )
    assert await changes(inventory, "shipment", shipment.id) == [
        (
            "dispatched",
            "wendy",
            None,
            {
                "order_id": order.order_id,
                "warehouse_id": warehouse,
                "carrier": "DHL",
                "tracking_number": "1Z",
                "status": "dispatched",
                "lines": [{"line_id": order.lines[0].line_id, "quantity": 2}],
            },
        ),
        ("status_changed", "walt", {"status": "dispatched"}, {"status": "in_transit"}),
    ]

    return_id = str(uuid.uuid4())
    authorized = orders_pb2.ReturnAuthorized(
        return_id=return_id,
        order_id=order.order_id,
        lines=[orders_pb2.ReturnLine(line_id="l-1", product_id=product, quantity=1)],
    )
    await inventory.publish((authorized, order.order_id))
    receive = pb.ReceiveReturnRequest(return_id=return_id, warehouse_id=warehouse)

    async def received() -> bool:
        try:
            await inventory.stub.ReceiveReturn(receive, metadata=WAREHOUSE)
        except grpc.aio.AioRpcError as error:
            if error.code() != grpc.StatusCode.NOT_FOUND:  # NOT_FOUND: not authorised here yet
                raise
            return False
        return True

    await eventually(received)
    assert await changes(inventory, "return", return_id) == [
        (
            "received",
            "wendy",
            {"status": "authorized"},
            {
                "status": "received",
                "order_id": order.order_id,
                "warehouse_id": warehouse,
                "lines": [{"product_id": product, "quantity": 1}],
            },
        )
    ]
