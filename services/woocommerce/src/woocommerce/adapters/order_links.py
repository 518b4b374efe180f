"""Which store's order a sales order is: orders' GetSalesOrder with the connector's certificate;
a sales order of channel woocommerce names it by its external reference "<store>:<woo id>"."""

from __future__ import annotations

import grpc

from oms.orders.v1 import orders_pb2, orders_pb2_grpc
from servicekit.grpc import open_channel
from servicekit.tls import TlsFiles
from woocommerce.domain.stock_push import woo_order_key

TIMEOUT = 5.0
CHANNEL = "woocommerce"


class OrdersUnavailable(Exception):
    """orders did not answer: the event is tried again."""


class GrpcOrderLinks:
    def __init__(self, target: str, tls: TlsFiles) -> None:
        self.stub = orders_pb2_grpc.OrdersServiceStub(open_channel(target, tls))

    async def woo_order_of(self, sales_order_id: str) -> tuple[str, int] | None:
        request = orders_pb2.GetSalesOrderRequest(order_id=sales_order_id)
        try:
            reply = await self.stub.GetSalesOrder(request, timeout=TIMEOUT)
        except grpc.aio.AioRpcError as error:
            if error.code() in (grpc.StatusCode.NOT_FOUND, grpc.StatusCode.PERMISSION_DENIED):
                return None  # not an order the connector may see: none of its stores'
            raise OrdersUnavailable(f"orders: {error.details()}") from error
        if reply.order.channel != CHANNEL:
            return None
        return woo_order_key(reply.order.external_reference)


class NoOrderLinks:
    """No orders target configured: shipments are not pushed back."""

    async def woo_order_of(self, sales_order_id: str) -> tuple[str, int] | None:
        return None
