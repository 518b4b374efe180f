"""orders.v1.OrdersService: protobuf in, use cases, protobuf out."""

from __future__ import annotations

from typing import TypeAlias

import grpc

from oms.orders.v1 import orders_pb2 as pb
from oms.orders.v1 import orders_pb2_grpc
from orders.application.handlers import Orders
from orders.domain.model import OrderRequest, SalesOrder
from pricing.wire import money_to_proto
from servicekit.grpc import timestamp

Context: TypeAlias = grpc.aio.ServicerContext


def order_to_proto(order: SalesOrder) -> pb.SalesOrder:
    return pb.SalesOrder(
        id=order.id,
        customer_id=order.customer_id,
        status=order.status,
        currency=order.currency,
        lines=[
            pb.SalesOrderLine(
                id=line.id,
                product_id=line.product_id,
                sku=line.sku,
                quantity=line.quantity,
                unit_price=money_to_proto(line.unit_price),
                line_total=money_to_proto(line.total),
            )
            for line in order.lines
        ],
        total=money_to_proto(order.total),
        status_reason=order.status_reason,
        channel=order.channel,
        created_at=timestamp(order.created_at),
        created_by=order.created_by,
        updated_at=timestamp(order.updated_at or order.created_at),
        document=order.document,
        quote_id=order.quote_id,
    )


class OrdersServicer(orders_pb2_grpc.OrdersServiceServicer):
    def __init__(self, orders: Orders) -> None:
        self.orders = orders

    async def PlaceSalesOrder(
        self, request: pb.PlaceSalesOrderRequest, context: Context
    ) -> pb.PlaceSalesOrderResponse:
        order = await self.orders.place(
            OrderRequest(
                customer_id=request.customer_id,
                currency=request.currency,
                lines=[(line.product_id, line.quantity) for line in request.lines],
                channel=request.channel,
            )
        )
        return pb.PlaceSalesOrderResponse(order=order_to_proto(order))

    async def GetSalesOrder(
        self, request: pb.GetSalesOrderRequest, context: Context
    ) -> pb.GetSalesOrderResponse:
        return pb.GetSalesOrderResponse(
            order=order_to_proto(await self.orders.get(request.order_id))
        )

    async def ListSalesOrders(
        self, request: pb.ListSalesOrdersRequest, context: Context
    ) -> pb.ListSalesOrdersResponse:
        found, token = await self.orders.page(
            request.status, request.customer_id, request.page_size, request.page_token
        )
        return pb.ListSalesOrdersResponse(
            orders=[order_to_proto(o) for o in found], next_page_token=token
        )
