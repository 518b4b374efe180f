"""/sales-orders, and the composed order summary"""

import asyncio

from fastapi import APIRouter, Request, Response

from gateway.auth import AnyUser, require
from gateway.schemas import (
    Invoice,
    OrderSummary,
    SalesOrder,
    SalesOrderIn,
    SalesOrderPage,
    Shipment,
)
from oms.billing.v1 import billing_pb2
from oms.inventory.v1 import inventory_pb2
from oms.orders.v1 import orders_pb2 as pb

router = APIRouter(prefix="/sales-orders", tags=["orders"])


@router.post(
    "", status_code=201, response_model=SalesOrder, dependencies=[require("sales", "order-desk")]
)
async def place_order(body: SalesOrderIn, request: Request, response: Response) -> SalesOrder:
    reply = await request.app.state.clients.orders.PlaceSalesOrder(
        pb.PlaceSalesOrderRequest(
            customer_id=body.customer_id,
            currency=body.currency,
            channel=body.channel,
            lines=[
                pb.PlaceSalesOrderLine(product_id=x.product_id, quantity=x.quantity)
                for x in body.lines
            ],
        )
    )
    response.headers["Location"] = f"{request.url.path}/{reply.order.id}"
    return SalesOrder.model_validate(reply.order)


@router.get("", response_model=SalesOrderPage, dependencies=[AnyUser])
async def list_orders(
    request: Request, status: str = "", customer_id: str = "", page_size: int = 50, cursor: str = ""
) -> SalesOrderPage:
    reply = await request.app.state.clients.orders.ListSalesOrders(
        pb.ListSalesOrdersRequest(
            status=status, customer_id=customer_id, page_size=page_size, page_token=cursor
        )
    )
    return SalesOrderPage(
        items=[SalesOrder.model_validate(o) for o in reply.orders],
        next_cursor=reply.next_page_token,
    )


@router.get("/{order_id}", response_model=SalesOrder, dependencies=[AnyUser])
async def get_order(order_id: str, request: Request) -> SalesOrder:
    reply = await request.app.state.clients.orders.GetSalesOrder(
        pb.GetSalesOrderRequest(order_id=order_id)
    )
    return SalesOrder.model_validate(reply.order)


@router.get("/{order_id}/summary", response_model=OrderSummary, dependencies=[AnyUser])
async def summary(order_id: str, request: Request) -> OrderSummary:
    """The order with its shipments and invoices, asked of three services at once."""
    clients = request.app.state.clients
    order, shipments, invoices = await asyncio.gather(
        clients.orders.GetSalesOrder(pb.GetSalesOrderRequest(order_id=order_id)),
        clients.inventory.ListShipments(inventory_pb2.ListShipmentsRequest(order_id=order_id)),
        clients.billing.ListInvoices(billing_pb2.ListInvoicesRequest(order_id=order_id)),
    )
    return OrderSummary(
        order=SalesOrder.model_validate(order.order),
        shipments=[Shipment.model_validate(s) for s in shipments.shipments],
        invoices=[Invoice.model_validate(i) for i in invoices.invoices],
    )
