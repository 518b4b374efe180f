"""The orders service in-process, with a real catalog process to price from, reached as the
gateway (an admin's token unless a call passes a person's, `as_user(...)`); and helpers to make
the products, customers and orders tests need."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass

import grpc
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from oms.catalog.v1 import catalog_pb2, catalog_pb2_grpc
from oms.orders.v1 import customers_pb2, customers_pb2_grpc, orders_pb2_grpc
from oms.orders.v1 import orders_pb2 as pb
from oms.types.v1.types_pb2 import Money
from orders.bootstrap import SPEC
from orders.config import Settings
from testkit.security import session_security
from testkit.services import free_port, namespace, running

Env = tuple[orders_pb2_grpc.OrdersServiceStub, str, str]


@dataclass(frozen=True)
class Service:
    """The running service: a channel to it as the gateway, its address, topics and database."""

    channel: grpc.aio.Channel
    target: str
    namespace: str
    url: str


@pytest.fixture(scope="module")
def catalog(catalog_process: str) -> str:
    return catalog_process


@pytest.fixture
async def service(
    catalog: str, fresh_database: Callable[[str], Awaitable[str]], kafka_bootstrap: str
) -> AsyncIterator[Service]:
    """The orders service on a database and topic namespace of its own."""
    ns = namespace()
    url = await fresh_database("orders")
    settings = Settings(
        database_url=url,
        kafka_bootstrap_servers=kafka_bootstrap,
        grpc_port=free_port(),
        topic_namespace=ns,
        catalog_target=catalog,
    )
    async with running(SPEC, settings) as channel:
        yield Service(channel, f"127.0.0.1:{settings.grpc_port}", ns, url)


@pytest.fixture
def env(service: Service) -> Env:
    return orders_pb2_grpc.OrdersServiceStub(service.channel), service.namespace, service.url


@pytest.fixture
def customers(service: Service) -> customers_pb2_grpc.CustomersServiceStub:
    return customers_pb2_grpc.CustomersServiceStub(service.channel)


@pytest.fixture
async def customer(customers: customers_pb2_grpc.CustomersServiceStub) -> str:
    """A registered customer without a credit limit."""
    return await a_customer(customers)


async def a_customer(
    customers: customers_pb2_grpc.CustomersServiceStub,
    limit: str = "",
    currency: str = "EUR",
    limit_currency: str = "",
) -> str:
    account = customers_pb2.CustomerInput(
        name=f"Customer {uuid.uuid4().hex[:6]}", kind="company", currency=currency
    )
    if limit:
        account.credit_limit.CopyFrom(Money(amount=limit, currency=limit_currency or currency))
    created = await customers.CreateCustomer(customers_pb2.CreateCustomerRequest(customer=account))
    return str(created.customer.id)


async def a_product(
    catalog: str, price: str = "12.50", currency: str = "EUR", cost: str = "7.00"
) -> str:
    async with session_security().channel(catalog) as channel:
        reply = await catalog_pb2_grpc.CatalogServiceStub(channel).CreateProduct(
            catalog_pb2.CreateProductRequest(
                sku=f"SKU-{uuid.uuid4().hex[:8]}",
                name="Widget",
                list_price=Money(amount=price, currency=currency),
                cost=cost,
            )
        )
    return str(reply.product.id)


def an_order(
    product: str, quantity: int = 3, order_type: str = "", customer: str = ""
) -> pb.PlaceSalesOrderRequest:
    return pb.PlaceSalesOrderRequest(
        customer_id=customer,
        currency="EUR",
        order_type=order_type,
        lines=[
            pb.PlaceSalesOrderLine(product_id=product, quantity=quantity, needed_by="2026-12-15")
        ],
    )


async def until(
    stub: orders_pb2_grpc.OrdersServiceStub, order_id: str, status: str, field: str = "status"
) -> pb.SalesOrder:
    for _ in range(150):
        order = (await stub.GetSalesOrder(pb.GetSalesOrderRequest(order_id=order_id))).order
        if getattr(order, field) == status:
            return order
        await asyncio.sleep(0.1)
    raise AssertionError(f"order {order_id} has {field} {getattr(order, field)}, not {status}")


async def refused(call: Awaitable[object]) -> grpc.aio.AioRpcError:
    with pytest.raises(grpc.aio.AioRpcError) as error:
        await call
    return error.value


async def rows_appear(url: str, query: str, params: dict[str, str], count: int = 1) -> None:
    """Waits until `query` (a count) reaches `count`: an event was applied."""
    engine = create_async_engine(url)
    try:
        for _ in range(150):
            async with engine.connect() as connection:
                if (await connection.scalar(text(query), params) or 0) >= count:
                    return
            await asyncio.sleep(0.1)
        raise AssertionError(f"{query} {params} never reached {count}")
    finally:
        await engine.dispose()
