"""The order-to-cash saga on the fakes: each reaction applies another service's event to the order
in the consumer's unit of work -- journalled as the event's actor, announced, logged -- and an
event that can never apply is refused."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from orders.application.ports import Deps
from orders.application.reactions.on_backorder_allocated import on_backorder_allocated
from orders.application.reactions.on_credit_note_issued import on_credit_note_issued
from orders.application.reactions.on_customer_balance_changed import (
    on_customer_balance_changed,
)
from orders.application.reactions.on_exchange_rate_set import on_exchange_rate_set
from orders.application.reactions.on_invoice_issued import on_invoice_issued
from orders.application.reactions.on_invoice_paid import on_invoice_paid
from orders.application.reactions.on_quote_accepted import AcceptedQuote, on_quote_accepted
from orders.application.reactions.on_reservation_released import on_reservation_released
from orders.application.reactions.on_return_received import on_return_received
from orders.application.reactions.on_shipment_dispatched import on_shipment_dispatched
from orders.application.reactions.on_shipment_status_changed import on_shipment_status_changed
from orders.application.reactions.on_stock_partially_reserved import (
    on_stock_partially_reserved,
)
from orders.application.reactions.on_stock_rejected import on_stock_rejected
from orders.application.reactions.on_stock_reserved import on_stock_reserved
from orders.application.reactions.saga import EventNotApplicable
from orders.domain.events import (
    SalesOrderApproved,
    SalesOrderCancelled,
    SalesOrderHoldChanged,
    SalesOrderPlaced,
)
from orders.domain.lines import ReturnRequest
from orders.domain.placing import CatalogProduct
from orders.domain.sales_order import SalesOrder
from pricing.money import Money
from pricing.wire import document_from_proto
from services.orders.tests.unit.builders import (
    INVENTORY,
    a_catalog,
    a_request,
    as_user,
    placed,
    registered,
)
from services.orders.tests.unit.fakes import FakeCatalog, FakeDatabase, fake_deps
from testkit.documents import a_priced_document


async def an_order(*lines: tuple[str, int]) -> tuple[Deps, FakeDatabase, SalesOrder]:
    deps, database, _ = fake_deps(catalog=a_catalog())
    order = await placed(deps, a_request(registered(database), *lines))
    return deps, database, order


def stored(database: FakeDatabase, order_id: str) -> SalesOrder:
    return database.store.orders[order_id]


def notes(database: FakeDatabase, order_id: str) -> list[tuple[str, str]]:
    return [(e.note, e.actor) for oid, e in database.store.journal if oid == order_id and e.note]


async def test_stock_reserved_then_backordered_then_allocated() -> None:
    deps, database, order = await an_order(("p1", 5))
    line = order.lines[0].id
    with as_user(INVENTORY, causation="event-1"):
        await on_stock_reserved(deps, database.joining(), order.id, {line: 5})
    assert stored(database, order.id).stock_status == "reserved"
    assert notes(database, order.id) == [("stock reserved", "inventory")]
    assert database.store.journal[-1][1].caused_by == "event-1"
    uow = database.joining()
    await on_stock_partially_reserved(deps, uow, order.id, {line: 3}, {line: 2})
    assert (stored(database, order.id).stock_status, stored(database, order.id).backordered) == (
        "backordered",
        2,
    )
    await on_backorder_allocated(deps, database.joining(), order.id, {line: 2}, True)
    found = stored(database, order.id)
    assert (found.stock_status, found.lines[0].reserved, found.backordered) == ("reserved", 5, 0)


async def test_a_release_after_a_change_of_lines_is_inventorys_confirmation_only() -> None:
    deps, database, order = await an_order(("p1", 1))
    await on_reservation_released(deps, database.joining(), order.id, "changed")
    assert stored(database, order.id).stock_status == "pending"
    await on_reservation_released(deps, database.joining(), order.id, "expired")
    assert stored(database, order.id).stock_status == "released"
    assert notes(database, order.id)[-1][0] == "stock released: expired"


async def test_a_stock_rejection_cancels_the_order_with_its_reason() -> None:
    deps, database, order = await an_order(("p1", 1))
    reason = "insufficient stock for SKU-1"
    await on_stock_rejected(deps, database.joining(), order.id, reason)
    found = stored(database, order.id)
    assert (found.status, found.status_reason, found.stock_status) == (
        "cancelled",
        reason,
        "rejected",
    )
    assert database.published(SalesOrderCancelled) == [SalesOrderCancelled(order.id, reason)]


async def test_partial_shipments_are_each_kept_with_their_goods_cost_once() -> None:
    deps, database, order = await an_order(("p1", 5))
    line = order.lines[0].id
    await on_shipment_dispatched(deps, database.joining(), order.id, "s1", {line: 2})
    await on_shipment_dispatched(deps, database.joining(), order.id, "s2", {line: 1})
    found = stored(database, order.id)
    assert (found.status, found.lines[0].shipped, found.shipments) == ("partially_shipped", 3, 2)
    costs = [(c.source, c.amount) for _, c in database.store.costs]
    assert costs == [("shipment:s1", Decimal("14.00")), ("shipment:s2", Decimal("7.00"))]
    with pytest.raises(ValueError, match="exceeds"):  # refused whole: dead-lettered
        await on_shipment_dispatched(deps, database.joining(), order.id, "s3", {line: 3})


async def test_invoices_and_payments_settle_the_order_in_whatever_order_they_come() -> None:
    deps, database, order = await an_order(("p1", 1))
    line = order.lines[0].id
    await on_invoice_issued(deps, database.joining(), order.id, covers_order=False)
    await on_shipment_dispatched(deps, database.joining(), order.id, "s1", {line: 1})
    assert stored(database, order.id).status == "invoiced"
    await on_invoice_issued(deps, database.joining(), "", covers_order=True)  # not ours
    await on_invoice_paid(deps, database.joining(), "")
    await on_invoice_paid(deps, database.joining(), order.id)
    assert stored(database, order.id).status == "closed"


async def test_shipment_statuses_returns_and_credit_notes_are_noted() -> None:
    deps, database, order = await an_order(("p1", 2))
    line = order.lines[0].id
    await on_shipment_dispatched(deps, database.joining(), order.id, "s1", {line: 2})
    await on_shipment_status_changed(
        deps, database.joining(), order.id, "0123456789", "dispatched", "delivered"
    )
    database.store.returns["r-123456789"] = (
        order.id,
        ReturnRequest("r-123456789", {}, "x"),
        "authorized",
    )
    for _ in range(2):  # the second delivery finds the return received
        await on_return_received(deps, database.joining(), order.id, "r-123456789", {line: 1})
    await on_credit_note_issued(deps, database.joining(), order.id, "CN-1", "12.50 EUR", "return")
    await on_credit_note_issued(deps, database.joining(), "", "CN-2", "1 EUR", "quote")
    assert stored(database, order.id).lines[0].returned == 1
    assert [note for note, _ in notes(database, order.id)][-3:] == [
        "shipment 01234567 dispatched -> delivered",
        "return r-123456 received: 1 units back",
        "credit note CN-1 for 12.50 EUR (return)",
    ]


async def test_an_event_for_no_order_cannot_apply() -> None:
    deps, database, _ = fake_deps()
    with pytest.raises(EventNotApplicable, match="no sales order nope"):
        await on_stock_reserved(deps, database.joining(), "nope", {})


def accepted(customer: str, order_id: str = "o-from-quote") -> AcceptedQuote:
    return AcceptedQuote(
        "q-1", customer, "", "north", order_id, document_from_proto(a_priced_document())
    )


async def test_an_accepted_quote_becomes_an_order_with_its_document_once() -> None:
    deps, database, _ = fake_deps()
    quote = accepted(registered(database))
    for _ in range(2):
        with as_user(INVENTORY):
            await on_quote_accepted(deps, database.joining(), quote)
    (placed_event,) = database.published(SalesOrderPlaced)
    order = stored(database, quote.order_id)
    assert (order.quote_id, order.channel, order.total) == ("q-1", "quote", quote.document.total)
    assert (order.status, order.salesperson, order.team) == ("execution", "inventory", "north")
    assert [(x.sku, x.quantity) for x in order.lines] == [
        ("W-1", 3),
        ("B-1", 10),
        ("W-1", 2),
        ("B-1", 8),
    ]
    assert placed_event.document == quote.document
    assert database.published(SalesOrderApproved) == [SalesOrderApproved(order.id)]


async def test_a_quote_for_an_unknown_customer_waits_and_one_that_misprices_is_refused() -> None:
    deps, database, _ = fake_deps()
    await on_quote_accepted(deps, database.joining(), accepted("C-7"))
    assert database.published(SalesOrderHoldChanged) == [
        SalesOrderHoldChanged(
            "o-from-quote", True, "customer C-7 is not registered: credit is unknown"
        )
    ]
    quote = accepted("C-7", "o-2")
    breakdown = quote.document.breakdown
    assert breakdown is not None
    wrong = replace(breakdown.lines[0], net=Decimal("0.01"))
    figures = replace(breakdown, lines=(wrong, *breakdown.lines[1:]))
    mispriced = replace(quote, document=replace(quote.document, breakdown=figures))
    stated = r"quote q-1 does not price as stated: .*lines\[0\]\.net: stored 0.01"
    with pytest.raises(EventNotApplicable, match=stated):
        await on_quote_accepted(deps, database.joining(), mispriced)
    assert "o-2" not in database.store.orders


async def test_billings_balances_and_finances_rates_are_kept_for_credit_control() -> None:
    deps, database, _ = fake_deps()
    customer = registered(database, limit="5000")
    await on_customer_balance_changed(deps, database.joining(), customer, Money.of("120", "EUR"))
    position = await database.joining().customers.credit_position(customer)
    assert position is not None
    assert position.open_balances == (Money.of("120.00", "EUR"),)
    with pytest.raises(EventNotApplicable, match="without a customer_id"):
        await on_customer_balance_changed(deps, database.joining(), "", Money.of("1", "EUR"))
    at = datetime(2026, 12, 1, tzinfo=UTC)
    await on_exchange_rate_set(deps, database.joining(), "EUR", "USD", "2", "2026-12-01", at)
    (rate,) = await database.joining().rates.current("USD", at.date())
    assert (rate.base, rate.quote, rate.rate) == ("EUR", "USD", Decimal("2"))
    with pytest.raises(
        EventNotApplicable, match="exchange rate USD/USD: a rate from USD to itself"
    ):
        await on_exchange_rate_set(deps, database.joining(), "USD", "USD", "1", "2026-12-01", at)


async def test_a_quote_made_kit_order_carries_its_parts_costs_and_categories() -> None:
    tools = CatalogProduct("p-w", "W-1", Money.of("19.99", "EUR"), True, Decimal("5"), "tools")
    bolts = CatalogProduct("p-b", "B-1", Money.of("0.35", "EUR"), True, Decimal("0.1"), "bolts")
    deps, database, catalog = fake_deps(catalog=FakeCatalog((tools, bolts)))
    quote = accepted(registered(database))
    with as_user(INVENTORY):
        await on_quote_accepted(deps, database.joining(), quote)
    order = stored(database, quote.order_id)
    assert [(x.sku, x.quantity, x.unit_cost, x.category_id) for x in order.lines] == [
        ("W-1", 3, Decimal("5"), "tools"),
        ("B-1", 10, Decimal("0.1"), "bolts"),
        ("W-1", 2, Decimal("5"), "tools"),  # the kit's parts, at their own cost
        ("B-1", 8, Decimal("0.1"), "bolts"),
    ]
    # 3 x 5 + 10 x 0.10 + 2 x 5 + 8 x 0.10, fixed at approval
    assert order.estimated_cost == Decimal("26.8")
    assert catalog.asked == [["p-w", "p-b"]]
