"""The store orders API on the connector's PostgreSQL database: the parked orders listed a page at
a time, one taken up again (received in the database), and an unknown one NOT_FOUND, through a
real gRPC server with mutual TLS and the connector's access table."""

from __future__ import annotations

from dataclasses import replace
from functools import partial

import grpc
import pytest

from oms.woocommerce.v1 import store_orders_pb2 as pb
from oms.woocommerce.v1 import store_orders_pb2_grpc
from servicekit.access import Access, ClientRegistry
from servicekit.auth import INTERNAL_AUDIENCE, INTERNAL_ISSUER, TokenVerifier
from servicekit.db import Database
from servicekit.grpc import start_server
from services.woocommerce.tests.repository_contracts import connector_order
from testkit.security import session_security
from testkit.services import free_port
from woocommerce.adapters.secrets import DEVELOPMENT_KEY, SecretBox
from woocommerce.adapters.unit_of_work import SqlUnitOfWork
from woocommerce.domain.connector_orders import OrderState
from woocommerce.entrypoints.access import ACCESS
from woocommerce.entrypoints.grpc_server import StoreOrdersServicer

pytestmark = pytest.mark.integration


async def test_parked_orders_are_listed_and_retried_on_the_database(database_url: str) -> None:
    security = session_security()
    database = Database(database_url, pool_size=2)
    units = partial(SqlUnitOfWork, database, SecretBox(DEVELOPMENT_KEY))
    async with units() as uow:
        for woo_order_id in (727, 728, 729):
            parked = connector_order("processing").parked(
                f"unknown SKU: line 1: SKU-{woo_order_id}"
            )
            await uow.orders.save(replace(parked, woo_order_id=woo_order_id))
        await uow.orders.save(replace(connector_order("processing"), woo_order_id=730))
    verifier = TokenVerifier(security.gateway_key.key_set(), INTERNAL_ISSUER, INTERNAL_AUDIENCE)
    port = free_port()
    server = await start_server(
        [
            (
                store_orders_pb2_grpc.add_StoreOrdersServiceServicer_to_server,
                StoreOrdersServicer(units),
            )
        ],
        [ACCESS.service],
        host="127.0.0.1",
        port=port,
        tls=security.pki.files("woocommerce"),
        access=Access([ACCESS], verifier, ClientRegistry(None)),
    )
    desk = security.token("olga", "order-desk")
    channel = security.channel(f"127.0.0.1:{port}", token=desk)
    stub = store_orders_pb2_grpc.StoreOrdersServiceStub(channel)
    try:
        first = await stub.ListStoreOrders(
            pb.ListStoreOrdersRequest(store_id="shop-a", state="parked", page_size=2)
        )
        second = await stub.ListStoreOrders(
            pb.ListStoreOrdersRequest(
                store_id="shop-a", state="parked", page_size=2, page_token=first.next_page_token
            )
        )
        assert [o.woo_order_id for o in first.orders] == [727, 728]
        assert [o.woo_order_id for o in second.orders] == [729]
        assert second.next_page_token == ""
        assert first.orders[0].why == "unknown SKU: line 1: SKU-727"

        retried = await stub.RetryStoreOrder(
            pb.RetryStoreOrderRequest(store_id="shop-a", woo_order_id=728)
        )
        assert retried.order.state == "received"
        async with units() as uow:
            held = await uow.orders.get("shop-a", 728)
        assert held is not None
        assert (held.state, held.reason) == (OrderState.RECEIVED, "")
        left = await stub.ListStoreOrders(pb.ListStoreOrdersRequest(state="parked"))
        assert [o.woo_order_id for o in left.orders] == [727, 729]

        with pytest.raises(grpc.aio.AioRpcError) as unknown:
            await stub.RetryStoreOrder(pb.RetryStoreOrderRequest(store_id="shop-a", woo_order_id=1))
        assert unknown.value.code() is grpc.StatusCode.NOT_FOUND
    finally:
        await channel.close()
        await server.stop(None)
        await database.dispose()
