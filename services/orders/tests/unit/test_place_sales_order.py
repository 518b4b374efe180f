"""Placing an order on the fakes: what is saved, journalled, published and logged; credit control;
retries that never double an order."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from orders.domain.credit import ExchangeRate
from orders.domain.events import (
    SalesOrderApproved,
    SalesOrderHoldChanged,
    SalesOrderPlaced,
    SalesOrderStatusChanged,
)
from pricing.money import Money
from servicekit.errors import AlreadyExists, InvalidArgument, PermissionDenied, Unavailable
from services.orders.tests.unit.builders import (
    DESK,
    KIM,
    SAM,
    a_catalog,
    a_request,
    placed,
    registered,
)
from services.orders.tests.unit.fakes import fake_deps


async def test_an_order_in_credit_is_approved_journalled_announced_and_logged() -> None:
    deps, database, _ = fake_deps(catalog=a_catalog())
    customer = registered(database)
    order = await placed(deps, a_request(customer, ("p1", 3)))
    assert (order.status, order.total, order.salesperson, order.team) == (
        "execution",
        Money.of("37.50", "EUR"),
        "sam",
        "north",
    )
    assert order.estimated_cost == 21
    kinds = [type(e) for e in database.store.published]
    assert kinds == [
        SalesOrderPlaced,
        SalesOrderStatusChanged,
        SalesOrderStatusChanged,
        SalesOrderApproved,
    ]
    (announced,) = database.published(SalesOrderPlaced)
    assert (announced.order_id, announced.total, announced.lines[0].quantity) == (
        order.id,
        Money.of("37.50", "EUR"),
        3,
    )
    journal = [(e.from_status, e.to_status, e.actor) for _, e in database.store.journal]
    assert journal == [
        (None, "request", "sam"),
        ("request", "approval", "sam"),
        ("approval", "execution", "sam"),
    ]
    logged = [(a.action, a.after) for a in database.store.audit]
    assert logged[0] == (
        "placed",
        {
            "customer_id": customer,
            "channel": "direct",
            "external_reference": "",
            "quote_id": "",
            "salesperson": "sam",
            "total": "37.50 EUR",
            "lines": [("SKU-1", 3, "12.50 EUR")],
        },
    )
    assert [action for action, _ in logged[1:]] == ["moved", "moved"]


async def test_an_order_for_an_unknown_customer_or_without_the_catalog_writes_nothing() -> None:
    deps, database, catalog = fake_deps(catalog=a_catalog())
    with pytest.raises(InvalidArgument) as unknown:
        await placed(deps, a_request("C-never", ("p1", 1)))
    assert [v.field for v in unknown.value.violations] == ["customer_id"]
    catalog.down = True
    with pytest.raises(Unavailable):
        await placed(deps, a_request(registered(database), ("p1", 1)))
    assert (database.store.orders, database.store.published) == ({}, [])


async def test_an_order_over_the_limit_waits_at_approval_on_credit_hold() -> None:
    deps, database, _ = fake_deps(catalog=a_catalog())
    customer = registered(database, limit="100.00")
    database.store.balances[(customer, "EUR")] = (Money.of("40", "EUR").amount, deps.clock())
    first = await placed(deps, a_request(customer, ("p1", 3)))  # 37.50: in credit
    second = await placed(deps, a_request(customer, ("p1", 2)))
    assert (first.status, second.status) == ("execution", "approval")
    assert second.credit_hold == (
        "credit limit 100.00 EUR exceeded: exposure would be 102.50 EUR"
        " (open invoices 40.00 EUR, open orders 37.50 EUR, this order 25.00 EUR)"
    )
    assert database.published(SalesOrderHoldChanged) == [
        SalesOrderHoldChanged(second.id, True, second.credit_hold)
    ]
    assert database.store.audit[-1].action == "credit_hold_set"


async def test_a_limit_in_another_currency_waits_for_finances_rate_then_converts() -> None:
    deps, database, _ = fake_deps(catalog=a_catalog())
    customer = registered(database, limit="100.00", currency="USD")
    waiting = await placed(deps, a_request(customer, ("p1", 2)))
    assert waiting.credit_hold == "no exchange rate EUR->USD for the credit limit"
    rate = ExchangeRate("EUR", "USD", Money.of("2", "USD").amount, date(2026, 1, 1))
    database.store.rates[("EUR", "USD", rate.effective_from)] = (rate, deps.clock())
    in_credit = await placed(deps, a_request(customer, ("p1", 2)))  # 50 + 50 USD: at the limit
    over = await placed(deps, a_request(customer, ("p1", 1)))
    assert (in_credit.status, in_credit.credit_hold) == ("execution", "")
    assert over.credit_hold.startswith("credit limit 100.00 USD exceeded")


async def test_a_retried_order_is_placed_once_and_a_reused_id_refused() -> None:
    deps, database, _ = fake_deps(catalog=a_catalog())
    customer = registered(database)
    request = a_request(customer, ("p1", 1))
    first = await placed(deps, request, request_id="r1", fingerprint="f1")
    again = await placed(deps, request, request_id="r1", fingerprint="f1")
    assert again.id == first.id
    assert list(database.store.orders) == [first.id]
    with pytest.raises(AlreadyExists) as reused:
        await placed(
            deps, replace(request, lines=[("p1", 5, "")]), request_id="r1", fingerprint="f2"
        )
    assert [v.field for v in reused.value.violations] == ["request_id"]


async def test_a_channels_external_reference_names_one_order() -> None:
    deps, database, _ = fake_deps(catalog=a_catalog())
    customer = registered(database)
    shop = a_request(customer, ("p1", 2), channel="woocommerce", external_reference="WC-1")
    first = await placed(deps, shop, request_id="a", fingerprint="same")
    resent = await placed(deps, shop, request_id="b", fingerprint="same")
    assert resent.id == first.id
    assert await placed(deps, shop, request_id="b", fingerprint="same") == resent
    with pytest.raises(AlreadyExists) as changed:
        await placed(deps, shop, request_id="c", fingerprint="other")
    assert [v.field for v in changed.value.violations] == ["external_reference"]
    elsewhere = await placed(deps, replace(shop, channel="ebay"), request_id="d", fingerprint="x")
    assert elsewhere.id != first.id
    assert len(database.store.orders) == 2


async def test_the_salesperson_is_the_caller_unless_the_desk_names_another() -> None:
    deps, database, _ = fake_deps(catalog=a_catalog())
    customer = registered(database)
    for_kim = a_request(customer, ("p1", 1), salesperson="kim")
    with pytest.raises(PermissionDenied) as denied:
        await placed(deps, for_kim, who=SAM)
    assert [v.field for v in denied.value.violations] == ["salesperson"]
    assert (await placed(deps, for_kim, who=DESK)).salesperson == "kim"
    own = await placed(deps, a_request(customer, ("p1", 1)), who=KIM)
    assert (own.salesperson, own.created_by, own.team) == ("kim", "kim", "north")


async def test_a_kit_is_sold_as_one_line_and_picked_by_its_parts() -> None:
    deps, database, _ = fake_deps(catalog=a_catalog())
    order = await placed(deps, a_request(registered(database), ("kit", 2), ("p1", 1)))
    assert order.total == Money.of("72.50", "EUR")
    assert sorted((line.sku, line.quantity) for line in order.lines) == [
        ("SKU-1", 1),
        ("SKU-1", 4),
        ("SKU-2", 10),
    ]
    (announced,) = database.published(SalesOrderPlaced)
    assert announced.document == order.document is not None
