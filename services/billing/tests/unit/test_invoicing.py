"""Invoicing on the fakes: what billing does about orders, shipments, accepted quotes and customer
accounts, and invoices falling overdue."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from google.protobuf.json_format import MessageToDict

from billing.adapters.documents import quoted
from billing.adapters.events import to_message
from billing.application.commands.publish_overdue import PublishOverdue, publish_overdue
from billing.application.ports import INVOICES
from billing.application.queries.invoices import get_invoice, list_invoices
from billing.application.reactions.on_customer_changed import on_customer_changed
from billing.application.reactions.on_customer_registered import on_customer_registered
from billing.application.reactions.on_quote_accepted import QuoteAccepted, on_quote_accepted
from billing.domain.customers import Customer
from billing.domain.events import CustomerBalanceChanged, InvoiceIssued, InvoiceOverdue
from billing.domain.orders import CannotInvoice, OrderLine, Shipment
from pricing.allocation import SHIPPING
from pricing.document import kit_part_line_id
from pricing.money import Money
from servicekit.errors import NotFound
from services.billing.tests.unit.builders import (
    a_shipment,
    amounts,
    an_id,
    an_order,
    as_user,
    eur,
    invoiced,
    of_kind,
    placed,
    shipped,
)
from services.billing.tests.unit.fakes import FakeBilling
from testkit.documents import a_priced_document


async def test_a_shipment_is_invoiced_at_the_order_prices_with_the_customers_terms() -> None:
    billing = FakeBilling()
    async with billing() as uow:
        await on_customer_registered(uow, Customer("C-1", "Acme", "14 days net"))
    with as_user("event-actor", "sales"):
        invoice = await invoiced(billing)
    (issued,) = of_kind(billing, InvoiceIssued)
    assert (issued.total, issued.number, issued.covers_order) == (
        eur("37.50"),
        invoice.number,
        False,
    )
    assert issued.number.startswith("INV-")
    assert issued.number.endswith("-000001")
    assert invoice.due_date == invoice.issued_at.date() + timedelta(days=14)
    assert (invoice.lines[0].quantity, invoice.lines[0].total) == (3, eur("37.50"))
    assert amounts(of_kind(billing, CustomerBalanceChanged), "open_balance") == ["37.50"]
    (change,) = billing.changes
    assert (change.entity_type, change.action, change.actor) == ("invoice", "issued", "event-actor")
    assert change.after["total"] == "37.50 EUR"


async def test_an_invoice_names_its_orders_channel() -> None:
    billing = FakeBilling()
    for channel in ("woocommerce", "direct"):
        order = an_order(channel=channel)
        await placed(billing, order)
        await shipped(billing, a_shipment(order))
    issued = of_kind(billing, InvoiceIssued)
    assert [e.channel for e in issued] == ["woocommerce", "direct"]
    assert [to_message(e)[0].channel for e in issued] == ["woocommerce", "direct"]


async def test_changed_terms_move_the_due_dates_of_later_invoices_only() -> None:
    billing = FakeBilling()
    first = await invoiced(billing)
    async with billing() as uow:
        await on_customer_changed(uow, Customer("C-1", "Acme", "due on receipt"))
    second = await invoiced(billing)
    assert first.due_date == first.issued_at.date() + timedelta(days=30)
    assert second.due_date == second.issued_at.date()


async def test_a_shipment_before_its_order_and_its_duplicates_make_one_invoice() -> None:
    billing = FakeBilling()
    order = an_order()
    shipment = a_shipment(order)
    await shipped(billing, shipment)
    await shipped(billing, shipment)
    assert billing.state.invoices == {}
    await placed(billing, order)
    await placed(billing, order)
    await shipped(billing, shipment)
    found, token = await list_invoices(billing(), order.order_id, 0, "")
    assert ([i.shipment_id for i in found], token) == ([shipment.shipment_id], "")


async def test_a_shipment_that_does_not_match_its_order_cannot_be_invoiced() -> None:
    billing = FakeBilling()
    order = an_order()
    await placed(billing, order)
    with pytest.raises(CannotInvoice, match="not on the order"):
        await shipped(billing, Shipment(an_id(), order.order_id, (("not-a-line", 1),)))
    with pytest.raises(CannotInvoice, match="ordered 100"):
        await shipped(billing, a_shipment(order, 101))
    assert billing.state.invoices == {}


async def test_invoices_are_numbered_without_gaps_and_listed_newest_first() -> None:
    billing = FakeBilling()
    order = an_order()
    await placed(billing, order)
    for _ in range(5):
        await shipped(billing, a_shipment(order, 1))
    first, token = await list_invoices(billing(), order.order_id, 3, "")
    rest, last = await list_invoices(billing(), order.order_id, 3, token)
    numbers = [i.number[-6:] for i in first + rest]
    assert (numbers, last) == (["000005", "000004", "000003", "000002", "000001"], "")
    assert (await get_invoice(billing(), first[0].id)).number == first[0].number
    with pytest.raises(NotFound):
        await get_invoice(billing(), "nope")


async def test_an_order_from_a_quote_is_billed_whole_once_its_last_shipment_leaves() -> None:
    document = a_priced_document()
    priced = quoted(document)
    kit = priced.lines[2]
    picked = [OrderLine(x.line_id, x.product_id, x.sku, x.quantity, eur("0")) for x in priced.lines]
    parts = [
        OrderLine(
            kit_part_line_id(kit.line_id, p.product_id), p.product_id, "", p.quantity, eur("0")
        )
        for p in kit.kit_parts
    ]
    order = an_order("C-7", document=priced, lines=(*picked, *parts))
    billing = FakeBilling()
    await placed(billing, order)
    everything = [(x.line_id, x.quantity) for x in order.lines]
    first = Shipment(an_id(), order.order_id, tuple(everything[:2]))
    await shipped(billing, first)
    await shipped(billing, first)  # counted once
    assert billing.state.invoices == {}
    with pytest.raises(CannotInvoice, match="more of line"):
        await shipped(billing, Shipment(an_id(), order.order_id, (everything[0],)))
    await shipped(billing, Shipment(an_id(), order.order_id, tuple(everything[2:])))
    (invoice,) = billing.state.invoices.values()
    (issued,) = of_kind(billing, InvoiceIssued)
    assert (issued.total, issued.covers_order) == (priced.total, True)
    assert invoice.document == MessageToDict(document)
    goods = [x for x in invoice.lines if x.order_line_id != SHIPPING]
    assert [x.total for x in goods] == [x.net for x in priced.lines]
    # The shipping charges are a line of their own; the lines' net and taxes make the total.
    assert sum((x.gross for x in invoice.lines), eur("0")) == priced.total
    assert [(t.code, t.amount) for t in invoice.taxes] == [
        (t.code, Money(t.amount, "EUR"))
        for t in priced.document.figures.taxes  # type: ignore[union-attr]
    ]


async def test_a_quote_accepted_for_invoicing_is_invoiced_with_its_own_figures_once() -> None:
    document = quoted(a_priced_document())
    accepted = QuoteAccepted(an_id(), "C-8", an_id(), document)
    billing = FakeBilling()
    for _ in range(2):
        async with billing() as uow:
            await on_quote_accepted(uow, accepted)
    invoice = await get_invoice(billing(), accepted.invoice_id)
    (issued,) = of_kind(billing, InvoiceIssued)
    assert (invoice.quote_id, invoice.total, invoice.order_id) == (
        accepted.quote_id,
        document.total,
        "",
    )
    assert (issued.quote_id, issued.covers_order, issued.order_id) == (accepted.quote_id, False, "")


async def test_an_invoice_past_its_due_date_unpaid_is_published_overdue_once() -> None:
    billing = FakeBilling()
    late = await invoiced(billing, "C-1")
    paid = await invoiced(billing, "C-2")
    current = await invoiced(billing, "C-3")
    today = late.due_date + timedelta(days=1)
    billing.state.invoices[current.id] = replace(current, due_date=today)
    billing.state.invoices[paid.id].status = "paid"
    with as_user("system:overdue", "system"):
        assert await publish_overdue(billing, PublishOverdue(today)) == 1
        assert await publish_overdue(billing, PublishOverdue(today)) == 0
    (overdue,) = of_kind(billing, InvoiceOverdue)
    assert (overdue.invoice_id, overdue.balance, overdue.due_date) == (
        late.id,
        eur("37.50"),
        late.due_date,
    )
    assert billing.changes[-1].action == "overdue"
    assert billing.changes[-1].actor == "system:overdue"
    assert current.id not in {e.invoice_id for e in of_kind(billing, InvoiceOverdue)}


async def test_a_shipment_takes_its_turn_at_the_invoice_counter_before_writing_anything() -> None:
    """In a batch of events the counter may be taken by another transaction: the reaction asks
    for it first, so a refusal leaves nothing half-written (billing.adapters.unit_of_work)."""
    billing = FakeBilling()
    order = an_order()
    early = a_shipment(order)
    await shipped(billing, early)  # before its order: parked, and it took its turn all the same
    await placed(billing, order)
    published = len(billing.state.published)
    await shipped(billing, a_shipment(order))
    assert billing.state.turns == [(INVOICES, 0, 0), (INVOICES, published, 0)]
    assert len(billing.state.published) > published  # and then it invoiced
