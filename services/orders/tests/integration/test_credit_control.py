"""Credit control: an order that would take its customer over the limit waits at approval with
the figures until finance releases it; the exposure counts billing's open balance."""

from __future__ import annotations

import asyncio

import grpc
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from oms.events.v1 import billing_pb2
from oms.orders.v1 import customers_pb2, customers_pb2_grpc, orders_pb2_grpc
from oms.orders.v1 import orders_pb2 as pb
from oms.types.v1.types_pb2 import Money
from services.orders.tests.integration.test_order_flow import a_product, an_order
from testkit.services import as_user, publish

SALES = as_user("sam", "sales")
DESK = as_user("olga", "order-desk")
FINANCE = as_user("fin", "finance")


async def test_an_order_over_the_limit_waits_until_finance_releases_it(
    service: tuple[grpc.aio.Channel, str, str], catalog: str, kafka_bootstrap: str
) -> None:
    channel, ns, url = service
    orders = orders_pb2_grpc.OrdersServiceStub(channel)
    customers = customers_pb2_grpc.CustomersServiceStub(channel)
    account = customers_pb2.CustomerInput(
        name="Acme GmbH",
        kind="company",
        currency="EUR",
        payment_terms="30 days net",
        credit_limit=Money(amount="100.00", currency="EUR"),
    )
    customer = (
        await customers.CreateCustomer(
            customers_pb2.CreateCustomerRequest(customer=account), metadata=SALES
        )
    ).customer
    owed = billing_pb2.CustomerBalanceChanged(
        customer_id=customer.id, open_balance=Money(amount="40.00", currency="EUR")
    )
    await publish(kafka_bootstrap, owed, key=customer.id, namespace=ns)
    await _balance_applied(url, customer.id)
    product = await a_product(catalog)  # 12.50 EUR
    first = (
        await orders.PlaceSalesOrder(an_order(product, 3, customer=customer.id), metadata=SALES)
    ).order
    assert (first.status, first.credit_hold) == ("execution", "")  # 77.50 of 100: in credit
    second = (
        await orders.PlaceSalesOrder(an_order(product, 2, customer=customer.id), metadata=SALES)
    ).order
    assert second.status == "approval"
    assert second.credit_hold == (
        "credit limit 100.00 EUR exceeded: exposure would be 102.50 EUR"
        " (open invoices 40.00 EUR, open orders 37.50 EUR, this order 25.00 EUR)"
    )

    move = pb.TransitionSalesOrderRequest(order_id=second.id, to_stage="execution")
    with pytest.raises(grpc.aio.AioRpcError) as held:
        await orders.TransitionSalesOrder(move, metadata=DESK)
    assert held.value.code() == grpc.StatusCode.FAILED_PRECONDITION
    move.release_credit_hold = True
    with pytest.raises(grpc.aio.AioRpcError) as not_finance:
        await orders.TransitionSalesOrder(move, metadata=as_user("olga", "order-desk"))
    assert not_finance.value.code() == grpc.StatusCode.PERMISSION_DENIED
    released = (
        await orders.TransitionSalesOrder(move, metadata=as_user("fin", "finance", "order-desk"))
    ).order
    assert (released.status, released.credit_hold) == ("execution", "")
    history = (
        await orders.GetSalesOrderHistory(pb.GetSalesOrderHistoryRequest(order_id=second.id))
    ).entries
    assert any(e.note.startswith("credit hold released") and e.actor == "fin" for e in history)


async def _balance_applied(url: str, customer_id: str) -> None:
    engine = create_async_engine(url)
    try:
        for _ in range(100):
            async with engine.connect() as connection:
                found = await connection.scalar(
                    text("SELECT count(*) FROM customer_balances WHERE customer_id = :id"),
                    {"id": customer_id},
                )
            if found:
                return
            await asyncio.sleep(0.1)
        raise AssertionError("the balance event was never applied")
    finally:
        await engine.dispose()
