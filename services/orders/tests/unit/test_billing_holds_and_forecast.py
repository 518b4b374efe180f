"""Billing's credit hold (invoices overdue too long) holds a customer's new orders until billing
releases it; the forecast totals every currency in the reporting currency with the rate used."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from messaging.consumer import PoisonEvent
from oms.events.v1 import billing_pb2
from oms.orders.v1 import orders_pb2 as pb
from orders.domain.credit import ExchangeRate
from orders.entrypoints.grpc_server import OrdersServicer
from orders.entrypoints.subscriptions import Subscriptions
from services.orders.tests.unit.builders import FINANCE, SAM, a_catalog, as_user, registered
from services.orders.tests.unit.fakes import fake_deps
from services.orders.tests.unit.test_entrypoints import CONTEXT, an_order, deliver


async def test_an_order_of_a_customer_billing_holds_waits_until_the_hold_ends() -> None:
    deps, database, _ = fake_deps(catalog=a_catalog())
    subscriptions = Subscriptions(deps, database)
    orders = OrdersServicer(deps)
    customer = registered(database)  # no credit limit: only billing's hold stops it
    reason = "INV-2026-000001 is 40 days overdue"
    await deliver(
        subscriptions,
        billing_pb2.CustomerCreditHoldChanged(customer_id=customer, on_hold=True, reason=reason),
    )
    with as_user(SAM):
        held = (await orders.PlaceSalesOrder(an_order(customer), CONTEXT)).order
    assert (held.status, held.credit_hold) == (
        "approval",
        f"billing holds the customer's credit: {reason}",
    )
    await deliver(
        subscriptions, billing_pb2.CustomerCreditHoldChanged(customer_id=customer, on_hold=False)
    )
    with as_user(SAM):
        flows = (await orders.PlaceSalesOrder(an_order(customer), CONTEXT)).order
    assert (flows.status, flows.credit_hold) == ("execution", "")
    with pytest.raises(PoisonEvent):
        await deliver(subscriptions, billing_pb2.CustomerCreditHoldChanged(on_hold=True))


async def test_the_forecast_totals_every_currency_in_the_reporting_currency() -> None:
    deps, database, _ = fake_deps(catalog=a_catalog())
    orders = OrdersServicer(replace(deps, reporting_currency="USD"))
    with as_user(SAM):
        await orders.PlaceSalesOrder(an_order(registered(database)), CONTEXT)  # 37.50 EUR
    with as_user(FINANCE):
        missing = await orders.GetSalesForecast(pb.GetSalesForecastRequest(), CONTEXT)
    total = missing.reporting_total
    assert (total.currency, total.complete, total.total.amount) == ("USD", False, "0.00")
    (expected,) = [m.expected.amount for m in missing.months]
    (eur,) = total.conversions
    assert (eur.amount.amount, eur.missing) == (
        expected,
        f"no exchange rate EUR->USD on {total.rates_on}",
    )
    database.store.rates[("EUR", "USD", date(2026, 1, 1))] = (
        ExchangeRate("EUR", "USD", Decimal("1.25"), date(2026, 1, 1)),
        deps.clock(),
    )
    with as_user(FINANCE):
        converted = (
            await orders.GetSalesForecast(pb.GetSalesForecastRequest(), CONTEXT)
        ).reporting_total
    (eur,) = converted.conversions
    assert (eur.rate, eur.rate_pair, eur.rate_effective_from) == ("1.25", "EUR/USD", "2026-01-01")
    shown = (Decimal(expected) * Decimal("1.25")).quantize(Decimal("0.01"))
    assert (converted.complete, converted.total.amount) == (True, str(shown))
    assert eur.converted.amount == str(shown)
