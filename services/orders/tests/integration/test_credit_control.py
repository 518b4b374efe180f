"""Credit control: an order that would take its customer over the limit waits at approval with
the figures (announced as a hold) until finance releases it; the exposure counts billing's open
balances; a limit in another currency is converted with finance's rates, and without one the
order waits with the reason."""

from __future__ import annotations

from datetime import UTC, datetime

import grpc

from oms.events.v1 import billing_pb2
from oms.events.v1 import orders_pb2 as events
from oms.orders.v1 import customers_pb2_grpc, orders_pb2_grpc
from oms.orders.v1 import orders_pb2 as pb
from oms.types.v1.types_pb2 import Money
from services.orders.tests.integration.conftest import (
    Service,
    a_customer,
    a_product,
    an_order,
    refused,
    rows_appear,
)
from testkit.services import EventLog, as_user, publish

SALES = as_user("sam", "sales")
DESK = as_user("olga", "order-desk")
FINANCE = as_user("fin", "finance")
HOLDS = (events.SalesOrderHoldChanged, events.SalesOrderApproved)


async def test_an_order_over_the_limit_waits_until_finance_releases_it(
    service: Service,
    customers: customers_pb2_grpc.CustomersServiceStub,
    catalog: str,
    kafka_bootstrap: str,
) -> None:
    ns, url = service.namespace, service.url
    orders = orders_pb2_grpc.OrdersServiceStub(service.channel)
    customer = await a_customer(customers, limit="100.00")
    owed = billing_pb2.CustomerBalanceChanged(
        customer_id=customer, open_balance=Money(amount="40.00", currency="EUR")
    )
    await publish(kafka_bootstrap, owed, key=customer, namespace=ns)
    await rows_appear(
        url, "SELECT count(*) FROM customer_balances WHERE customer_id = :id", {"id": customer}
    )
    product = await a_product(catalog)  # 12.50 EUR
    first = (
        await orders.PlaceSalesOrder(an_order(product, 3, customer=customer), metadata=SALES)
    ).order
    assert (first.status, first.credit_hold) == ("execution", "")  # 77.50 of 100: in credit
    async with EventLog(kafka_bootstrap, list(HOLDS), ns) as log:
        second = (
            await orders.PlaceSalesOrder(an_order(product, 2, customer=customer), metadata=SALES)
        ).order
        # placed, request -> approval, held
        held = (await log.wait_for(second.id, count=3))[-1][1]
        assert second.status == "approval"
        assert second.credit_hold == (
            "credit limit 100.00 EUR exceeded: exposure would be 102.50 EUR"
            " (open invoices 40.00 EUR, open orders 37.50 EUR, this order 25.00 EUR)"
        )
        assert held == events.SalesOrderHoldChanged(
            order_id=second.id, on_hold=True, reason=second.credit_hold
        )

        move = pb.TransitionSalesOrderRequest(order_id=second.id, to_stage="execution")
        assert (await refused(orders.TransitionSalesOrder(move, metadata=DESK))).code() == (
            grpc.StatusCode.FAILED_PRECONDITION
        )
        move.release_credit_hold = True
        not_finance = await refused(orders.TransitionSalesOrder(move, metadata=DESK))
        assert not_finance.code() == grpc.StatusCode.PERMISSION_DENIED
        # finance alone, though the built-in pipeline lets only the order desk approve
        released = (await orders.TransitionSalesOrder(move, metadata=FINANCE)).order
        # then approval -> execution, released, approved
        found = await log.wait_for(second.id, count=6)
    announced = [event for _, event in found if isinstance(event, HOLDS)]
    assert (released.status, released.credit_hold) == ("execution", "")
    assert announced[1:] == [
        events.SalesOrderHoldChanged(
            order_id=second.id, on_hold=False, reason="released by finance"
        ),
        events.SalesOrderApproved(order_id=second.id),
    ]
    history = (
        await orders.GetSalesOrderHistory(pb.GetSalesOrderHistoryRequest(order_id=second.id))
    ).entries
    assert any(e.note.startswith("credit hold released") and e.actor == "fin" for e in history)


async def test_a_limit_in_another_currency_is_converted_or_the_order_waits_for_a_rate(
    service: Service,
    customers: customers_pb2_grpc.CustomersServiceStub,
    catalog: str,
    kafka_bootstrap: str,
) -> None:
    ns, url = service.namespace, service.url
    orders = orders_pb2_grpc.OrdersServiceStub(service.channel)
    customer = await a_customer(customers, limit="100.00", currency="USD")
    product = await a_product(catalog)  # 12.50 EUR
    waiting = (
        await orders.PlaceSalesOrder(an_order(product, 2, customer=customer), metadata=SALES)
    ).order
    assert (waiting.status, waiting.credit_hold) == (
        "approval",
        "no exchange rate EUR->USD for the credit limit",
    )

    today = datetime.now(UTC).date().isoformat()
    rate = billing_pb2.ExchangeRateSet(
        base_currency="EUR", quote_currency="USD", rate="2", effective_from=today
    )
    future = billing_pb2.ExchangeRateSet(
        base_currency="EUR", quote_currency="USD", rate="0.01", effective_from="2999-01-01"
    )
    for event in (rate, future):
        await publish(kafka_bootstrap, event, key="EUR/USD", namespace=ns)
    await rows_appear(url, "SELECT count(*) FROM exchange_rates", {}, count=2)

    # 25.00 EUR on order (held, but open) is 50.00 USD; 2 x 12.50 EUR more is 50.00 USD: at 100
    in_credit = (
        await orders.PlaceSalesOrder(an_order(product, 2, customer=customer), metadata=SALES)
    ).order
    assert (in_credit.status, in_credit.credit_hold) == ("execution", "")
    over = (
        await orders.PlaceSalesOrder(an_order(product, 1, customer=customer), metadata=SALES)
    ).order
    assert over.credit_hold == (
        "credit limit 100.00 USD exceeded: exposure would be 125.00 USD (open invoices 0.00 USD,"
        " open orders 100.00 USD, this order 25.00 USD from 12.50 EUR); at rates EUR->USD 2"
    )


async def test_billings_credit_hold_holds_new_orders_until_released(
    service: Service,
    customers: customers_pb2_grpc.CustomersServiceStub,
    catalog: str,
    kafka_bootstrap: str,
) -> None:
    ns, url = service.namespace, service.url
    orders = orders_pb2_grpc.OrdersServiceStub(service.channel)
    customer = await a_customer(customers)  # no limit: only billing's hold stops its orders
    product = await a_product(catalog)
    hold = billing_pb2.CustomerCreditHoldChanged(
        customer_id=customer, on_hold=True, reason="INV-2026-000009 is 31 days overdue"
    )
    await publish(kafka_bootstrap, hold, key=customer, namespace=ns)
    await rows_appear(
        url, "SELECT count(*) FROM billing_credit_holds WHERE customer_id = :id", {"id": customer}
    )
    held = (
        await orders.PlaceSalesOrder(an_order(product, 1, customer=customer), metadata=SALES)
    ).order
    assert (held.status, held.credit_hold) == (
        "approval",
        "billing holds the customer's credit: INV-2026-000009 is 31 days overdue",
    )
    released = billing_pb2.CustomerCreditHoldChanged(customer_id=customer, on_hold=False)
    await publish(kafka_bootstrap, released, key=customer, namespace=ns)
    await rows_appear(  # the hold's row is gone
        url,
        "SELECT 1 - count(*) FROM billing_credit_holds WHERE customer_id = :id",
        {"id": customer},
    )
    flows = (
        await orders.PlaceSalesOrder(an_order(product, 1, customer=customer), metadata=SALES)
    ).order
    assert (flows.status, flows.credit_hold) == ("execution", "")
