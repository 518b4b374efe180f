"""woocommerce.v1.StoreOrdersService: each RPC maps its request to a use case of application/ and
the result back, nothing more. Who may call each RPC is in entrypoints/access.py."""

from __future__ import annotations

from typing import TypeAlias

import grpc
from google.protobuf.timestamp_pb2 import Timestamp

from oms.woocommerce.v1 import store_orders_pb2 as pb
from oms.woocommerce.v1 import store_orders_pb2_grpc
from servicekit.errors import FailedPrecondition, NotFound, Violations
from woocommerce.application.commands.retry_orders import retry_order
from woocommerce.application.ports import UnitsOfWork
from woocommerce.application.queries.store_orders import list_store_orders
from woocommerce.domain.connector_orders import ConnectorOrder

Context: TypeAlias = grpc.aio.ServicerContext


def store_order_to_proto(order: ConnectorOrder) -> pb.StoreOrder:
    received = Timestamp()
    received.FromDatetime(order.date_modified_gmt)
    return pb.StoreOrder(
        store_id=order.store_id,
        woo_order_id=order.woo_order_id,
        number=order.number,
        state=order.state.value,
        why=order.reason or "; ".join(order.differences),
        sales_order_id=order.sales_order_id,
        received_at=received,
        currency=order.currency,
        total=str(order.total),
    )


class StoreOrdersServicer(store_orders_pb2_grpc.StoreOrdersServiceServicer):
    def __init__(self, units: UnitsOfWork) -> None:
        self.units = units

    async def ListStoreOrders(
        self, request: pb.ListStoreOrdersRequest, context: Context
    ) -> pb.ListStoreOrdersResponse:
        page = await list_store_orders(
            self.units, request.store_id, request.state, request.page_size, request.page_token
        )
        return pb.ListStoreOrdersResponse(
            orders=[store_order_to_proto(o) for o in page.orders],
            next_page_token=page.next_page_token,
        )

    async def RetryStoreOrder(
        self, request: pb.RetryStoreOrderRequest, context: Context
    ) -> pb.RetryStoreOrderResponse:
        problems = Violations()
        if not request.store_id:
            problems.add("store_id", "required")
        if request.woo_order_id <= 0:
            problems.add("woo_order_id", "a WooCommerce order id, above 0")
        problems.raise_if_any()
        done = await retry_order(self.units, request.store_id, request.woo_order_id)
        if done.order is None:
            raise NotFound(f"store {request.store_id} has no order {request.woo_order_id}")
        if not done.goes_on:
            raise FailedPrecondition(done.said)
        return pb.RetryStoreOrderResponse(order=store_order_to_proto(done.order), outcome=done.said)
