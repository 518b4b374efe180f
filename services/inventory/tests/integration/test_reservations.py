"""Inventory against the real broker and database: reserve, reject, ship, and never oversell."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable

import grpc
import pytest

from inventory.bootstrap import SPEC
from inventory.config import Settings
from oms.events.v1 import inventory_pb2 as events
from oms.events.v1 import orders_pb2
from oms.inventory.v1 import inventory_pb2 as pb
from oms.inventory.v1 import inventory_pb2_grpc
from testkit.services import EventLog, as_user, free_port, namespace, publish, running

ADMIN = as_user("wendy", "warehouse")


def settings(url: str, bootstrap: str, ns: str) -> Settings:
    return Settings(
        database_url=url,
        kafka_bootstrap_servers=bootstrap,
        grpc_port=free_port(),
        topic_namespace=ns,
    )


@pytest.fixture
def ns() -> str:
    return namespace()


@pytest.fixture
async def database_url(fresh_database: Callable[[str], Awaitable[str]]) -> str:
    return await fresh_database("inventory")


@pytest.fixture
async def inventory(
    database_url: str, kafka_bootstrap: str, ns: str
) -> AsyncIterator[inventory_pb2_grpc.InventoryServiceStub]:
    async with running(SPEC, settings(database_url, kafka_bootstrap, ns)) as channel:
        yield inventory_pb2_grpc.InventoryServiceStub(channel)


async def stocked(stub: inventory_pb2_grpc.InventoryServiceStub, units: int) -> tuple[str, str]:
    product = f"P-{uuid.uuid4().hex[:8]}"
    reply = await stub.CreateWarehouse(
        pb.CreateWarehouseRequest(code=f"W{uuid.uuid4().hex[:6]}", name="Main"), metadata=ADMIN
    )
    warehouse = reply.warehouse.id
    await stub.AdjustStock(
        pb.AdjustStockRequest(
            warehouse_id=warehouse, product_id=product, quantity_delta=units, reason="count"
        ),
        metadata=ADMIN,
    )
    return product, warehouse


def placed(product: str, quantity: int) -> orders_pb2.SalesOrderPlaced:
    order_id = str(uuid.uuid4())
    line = orders_pb2.SalesOrderLine(
        line_id=str(uuid.uuid4()), product_id=product, sku="SKU-1", quantity=quantity
    )
    return orders_pb2.SalesOrderPlaced(
        order_id=order_id, customer_id="C-1", currency="EUR", lines=[line]
    )


async def test_an_order_is_reserved_then_shipped(
    inventory: inventory_pb2_grpc.InventoryServiceStub, kafka_bootstrap: str, ns: str
) -> None:
    product, warehouse = await stocked(inventory, 10)
    order = placed(product, 3)
    async with EventLog(
        kafka_bootstrap, [events.StockReserved, events.ShipmentDispatched], ns
    ) as log:
        await publish(kafka_bootstrap, order, key=order.order_id, namespace=ns)
        ((envelope, reserved),) = await log.wait_for(order.order_id)
        assert envelope.type == "oms.inventory.StockReserved.v1"
        assert [(x.warehouse_id, x.quantity) for x in reserved.lines] == [(warehouse, 3)]
        level = (await inventory.GetStock(pb.GetStockRequest(product_id=product))).levels[0]
        assert (level.on_hand, level.reserved, level.available) == (10, 3, 7)

        shipped = await inventory.ShipOrder(
            pb.ShipOrderRequest(
                order_id=order.order_id, warehouse_id=warehouse, carrier="DHL", tracking_number="1Z"
            ),
            metadata=ADMIN,
        )
        assert shipped.shipment.created_by == "wendy"
        (_, (envelope, dispatched)) = await log.wait_for(order.order_id, count=2)
        assert [(x.line_id, x.quantity) for x in dispatched.lines] == [(order.lines[0].line_id, 3)]
        assert envelope.actor.subject == "wendy"
    level = (await inventory.GetStock(pb.GetStockRequest(product_id=product))).levels[0]
    assert (level.on_hand, level.reserved) == (7, 0)


async def test_an_order_for_more_than_is_available_is_rejected_with_the_reason(
    inventory: inventory_pb2_grpc.InventoryServiceStub, kafka_bootstrap: str, ns: str
) -> None:
    product, _ = await stocked(inventory, 1)
    order = placed(product, 3)
    async with EventLog(kafka_bootstrap, [events.StockRejected], ns) as log:
        await publish(kafka_bootstrap, order, key=order.order_id, namespace=ns)
        ((_, rejected),) = await log.wait_for(order.order_id)
    assert rejected.reason == "insufficient stock for SKU-1: requested 3, available 1"
    level = (await inventory.GetStock(pb.GetStockRequest(product_id=product))).levels[0]
    assert level.reserved == 0


async def test_shipping_without_a_reservation_and_bad_adjustments_are_refused(
    inventory: inventory_pb2_grpc.InventoryServiceStub,
) -> None:
    product, warehouse = await stocked(inventory, 1)
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await inventory.ShipOrder(
            pb.ShipOrderRequest(order_id="nope", warehouse_id=warehouse, carrier="DHL")
        )
    assert refused.value.code() == grpc.StatusCode.FAILED_PRECONDITION
    with pytest.raises(grpc.aio.AioRpcError) as removed:
        await inventory.AdjustStock(
            pb.AdjustStockRequest(
                warehouse_id=warehouse, product_id=product, quantity_delta=-2, reason="broken"
            )
        )
    assert removed.value.code() == grpc.StatusCode.FAILED_PRECONDITION
    with pytest.raises(grpc.aio.AioRpcError) as invalid:
        await inventory.AdjustStock(
            pb.AdjustStockRequest(warehouse_id=warehouse, product_id=product)
        )
    assert invalid.value.code() == grpc.StatusCode.INVALID_ARGUMENT


async def test_twenty_orders_for_the_last_unit_across_two_replicas_reserve_exactly_one(
    database_url: str, kafka_bootstrap: str, ns: str
) -> None:
    async with (
        running(SPEC, settings(database_url, kafka_bootstrap, ns)) as first,
        running(SPEC, settings(database_url, kafka_bootstrap, ns)),
    ):
        stub = inventory_pb2_grpc.InventoryServiceStub(first)
        product, _ = await stocked(stub, 1)
        orders = [placed(product, 1) for _ in range(20)]
        async with EventLog(
            kafka_bootstrap, [events.StockReserved, events.StockRejected], ns
        ) as log:
            await asyncio.gather(
                *[publish(kafka_bootstrap, o, key=o.order_id, namespace=ns) for o in orders]
            )
            outcomes = [(await log.wait_for(o.order_id))[0][0].type for o in orders]
        level = (await stub.GetStock(pb.GetStockRequest(product_id=product))).levels[0]
    assert outcomes.count("oms.inventory.StockReserved.v1") == 1
    assert outcomes.count("oms.inventory.StockRejected.v1") == 19
    assert (level.on_hand, level.reserved) == (1, 1)


async def test_a_redelivered_order_is_reserved_once(
    inventory: inventory_pb2_grpc.InventoryServiceStub, kafka_bootstrap: str, ns: str
) -> None:
    product, _ = await stocked(inventory, 10)
    order = placed(product, 2)
    async with EventLog(kafka_bootstrap, [events.StockReserved, events.StockRejected], ns) as log:
        envelope = await publish(kafka_bootstrap, order, key=order.order_id, namespace=ns)
        await log.wait_for(order.order_id)
        from aiokafka import AIOKafkaProducer

        producer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap)
        await producer.start()
        await producer.send_and_wait(
            envelope.topic, envelope.body, key=order.order_id.encode(), headers=envelope.headers()
        )
        await producer.stop()
        with pytest.raises(AssertionError):
            await log.wait_for(order.order_id, count=2, seconds=3)
    level = (await inventory.GetStock(pb.GetStockRequest(product_id=product))).levels[0]
    assert level.reserved == 2
