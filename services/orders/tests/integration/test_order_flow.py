"""Orders against the real broker and database, pricing from a real catalog process."""

from __future__ import annotations

import asyncio
import uuid

import grpc
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from oms.catalog.v1 import catalog_pb2, catalog_pb2_grpc
from oms.events.v1 import billing_pb2, inventory_pb2, orders_pb2
from oms.orders.v1 import orders_pb2 as pb
from oms.orders.v1 import orders_pb2_grpc
from oms.types.v1.types_pb2 import Money
from servicekit.grpc import violations_of
from testkit.services import EventLog, as_user, publish

SALES = as_user("sam", "sales")


async def a_product(catalog: str, price: str = "12.50", currency: str = "EUR") -> str:
    async with grpc.aio.insecure_channel(catalog) as channel:
        reply = await catalog_pb2_grpc.CatalogServiceStub(channel).CreateProduct(
            catalog_pb2.CreateProductRequest(
                sku=f"SKU-{uuid.uuid4().hex[:8]}",
                name="Widget",
                list_price=Money(amount=price, currency=currency),
            )
        )
    return str(reply.product.id)


def an_order(product: str, quantity: int = 3) -> pb.PlaceSalesOrderRequest:
    return pb.PlaceSalesOrderRequest(
        customer_id="C-1",
        currency="EUR",
        lines=[pb.PlaceSalesOrderLine(product_id=product, quantity=quantity)],
    )


async def test_an_order_is_placed_reserved_and_shipped_with_its_history(
    env, catalog: str, kafka_bootstrap: str
) -> None:  # type: ignore[no-untyped-def]
    stub, ns, url = env
    product = await a_product(catalog)
    async with EventLog(kafka_bootstrap, [orders_pb2.SalesOrderPlaced], ns) as log:
        order = (await stub.PlaceSalesOrder(an_order(product), metadata=SALES)).order
        ((envelope, placed),) = await log.wait_for(order.id)
    assert (order.status, order.total.amount, order.created_by) == ("placed", "37.50", "sam")
    assert envelope.type == "oms.orders.SalesOrderPlaced.v1"
    assert envelope.actor.subject == "sam"
    assert [(x.sku.startswith("SKU-"), x.quantity, x.unit_price.amount) for x in placed.lines] == [
        (True, 3, "12.50")
    ]

    line = order.lines[0]
    await publish(
        kafka_bootstrap, inventory_pb2.StockReserved(order_id=order.id), key=order.id, namespace=ns
    )
    await _until(stub, order.id, "reserved")
    shipped = inventory_pb2.ShipmentDispatched(
        shipment_id="s1",
        order_id=order.id,
        lines=[inventory_pb2.ShippedLine(line_id=line.id, quantity=3)],
    )
    await publish(kafka_bootstrap, shipped, key=order.id, namespace=ns)
    await _until(stub, order.id, "shipped")

    engine = create_async_engine(url)
    async with engine.connect() as connection:
        history = (
            await connection.execute(
                text(
                    "SELECT from_status, to_status, actor FROM order_history"
                    " WHERE order_id = :id ORDER BY id"
                ),
                {"id": order.id},
            )
        ).all()
    await engine.dispose()
    assert [tuple(h) for h in history] == [
        (None, "placed", "sam"),
        ("placed", "reserved", "test"),
        ("reserved", "shipped", "test"),
    ]


async def test_a_stock_rejection_is_recorded_with_its_reason(
    env, catalog: str, kafka_bootstrap: str
) -> None:  # type: ignore[no-untyped-def]
    stub, ns, _ = env
    order = (await stub.PlaceSalesOrder(an_order(await a_product(catalog)), metadata=SALES)).order
    rejected = inventory_pb2.StockRejected(order_id=order.id, reason="insufficient stock for SKU-1")
    await publish(kafka_bootstrap, rejected, key=order.id, namespace=ns)
    found = await _until(stub, order.id, "rejected")
    assert found.status_reason == "insufficient stock for SKU-1"


async def test_bad_orders_are_refused_field_by_field_and_nothing_is_written(
    env, catalog: str
) -> None:  # type: ignore[no-untyped-def]
    stub, _, _ = env
    usd = await a_product(catalog, currency="USD")
    cases = [
        (an_order(str(uuid.uuid4())), ["lines[0].product_id"]),
        (an_order(usd), ["currency"]),
        (an_order("p", quantity=0), ["lines[0].quantity"]),
    ]
    for request, fields in cases:
        with pytest.raises(grpc.aio.AioRpcError) as refused:
            await stub.PlaceSalesOrder(request, metadata=SALES)
        assert refused.value.code() == grpc.StatusCode.INVALID_ARGUMENT
        assert [v.field for v in violations_of(refused.value)] == fields
    assert list((await stub.ListSalesOrders(pb.ListSalesOrdersRequest())).orders) == []


async def _until(
    stub: orders_pb2_grpc.OrdersServiceStub, order_id: str, status: str
) -> pb.SalesOrder:
    for _ in range(150):
        order = (await stub.GetSalesOrder(pb.GetSalesOrderRequest(order_id=order_id))).order
        if order.status == status:
            return order
        await asyncio.sleep(0.1)
    raise AssertionError(f"order {order_id} is {order.status}, not {status}")


async def test_an_invoice_that_overtakes_its_shipment_still_settles_the_order(
    env, catalog: str, kafka_bootstrap: str
) -> None:  # type: ignore[no-untyped-def]
    stub, ns, _ = env
    order = (
        await stub.PlaceSalesOrder(an_order(await a_product(catalog), quantity=1), metadata=SALES)
    ).order
    await publish(
        kafka_bootstrap, inventory_pb2.StockReserved(order_id=order.id), key=order.id, namespace=ns
    )
    await _until(stub, order.id, "reserved")
    invoiced = billing_pb2.InvoiceIssued(invoice_id="i1", order_id=order.id, shipment_id="s1")
    await publish(kafka_bootstrap, invoiced, key=order.id, namespace=ns)
    await asyncio.sleep(1)  # the invoice is recorded while the order still waits for its shipment
    shipped = inventory_pb2.ShipmentDispatched(
        shipment_id="s1",
        order_id=order.id,
        lines=[inventory_pb2.ShippedLine(line_id=order.lines[0].id, quantity=1)],
    )
    await publish(kafka_bootstrap, shipped, key=order.id, namespace=ns)
    await _until(stub, order.id, "invoiced")
