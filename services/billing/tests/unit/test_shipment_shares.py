"""An order placed directly with a priced document is invoiced per shipment, each invoice its
share of the document: the invoices add up to the order to the cent per tax rate; a return
credits what the customer paid, tax included, mirroring the invoice line; credit notes never
exceed what was invoiced. Invoices and credit notes name the buyer as billing knew them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from billing.application.reactions.on_customer_registered import on_customer_registered
from billing.application.reactions.on_return_received import on_return_received
from billing.application.reactions.on_sales_order_cancelled import on_sales_order_cancelled
from billing.application.reactions.on_sales_order_lines_changed import (
    ChangedLine,
    on_sales_order_lines_changed,
)
from billing.domain.customers import Customer
from billing.domain.invoices import Invoice
from billing.domain.orders import OrderCopy, OrderLine, QuotedDocument, Shipment
from billing.domain.returns import Return, plan_return
from pricing.allocation import SHIPPING
from pricing.document import (
    Discount,
    DocumentGroup,
    DocumentLine,
    PricedDocument,
    PricingPolicy,
    ShippingCharge,
    TaxRate,
    price_document,
)
from pricing.money import Money
from services.billing.tests.unit.builders import an_id, an_order, eur, placed, shipped
from services.billing.tests.unit.fakes import FakeBilling

VAT19, VAT7 = TaxRate("VAT19", "0.19"), TaxRate("VAT7", "0.07")
NOW = datetime(2026, 3, 2, tzinfo=UTC)
RATES = (VAT19, VAT7, TaxRate("VAT5", "0.05"), TaxRate("VAT0", "0"))


def a_line(
    line_id: str, quantity: int, price: str, *taxes: TaxRate, percent: str = ""
) -> DocumentLine:
    return DocumentLine(
        line_id,
        f"p-{line_id}",
        f"SKU-{line_id}",
        f"item {line_id}",
        str(quantity),
        price,
        Discount(percent=percent),
        taxes,
        kind="stocked",
    )


def quoted(document: PricedDocument) -> QuotedDocument:
    return QuotedDocument.of(price_document(document), {})


def two_rates() -> QuotedDocument:
    return quoted(
        PricedDocument(
            "EUR",
            (
                DocumentGroup(
                    "Goods", (a_line("a", 3, "19.99", VAT19), a_line("b", 4, "2.49", VAT7))
                ),
            ),
            (ShippingCharge("Freight", "4.90", (VAT19,)),),
        )
    )


def order_lines(document: QuotedDocument) -> tuple[OrderLine, ...]:
    return tuple(
        OrderLine(x.line_id, x.product_id, x.sku, x.quantity, x.unit_price) for x in document.lines
    )


def per_rate(invoices: Sequence[Invoice]) -> dict[tuple[str, Decimal], tuple[Money, Money]]:
    found: dict[tuple[str, Decimal], tuple[Money, Money]] = {}
    for invoice in invoices:
        for t in invoice.taxes:
            base, amount = found.get((t.code, t.rate), (eur("0"), eur("0")))
            found[(t.code, t.rate)] = (base + t.base, amount + t.amount)
    return found


def stated(document: QuotedDocument) -> dict[tuple[str, Decimal], tuple[Money, Money]]:
    assert document.document is not None
    return {
        (t.code, t.rate): (Money(t.base, "EUR"), Money(t.amount, "EUR"))
        for t in document.document.figures.taxes
    }


async def test_each_shipment_is_invoiced_with_its_share_and_a_return_credits_the_tax_paid() -> None:
    document = two_rates()
    billing = FakeBilling()
    address = {"line1": "ul. Żółta 5", "city": "Łódź", "postal_code": "90-001", "country": "PL"}
    async with billing() as uow:
        await on_customer_registered(
            uow, Customer("C-9", "Жуков Sp. z o.o.", "net 14", "PL123", address)
        )
    order = an_order("C-9", document=document, lines=order_lines(document))
    await placed(billing, order)
    await shipped(billing, Shipment(an_id(), order.order_id, (("a", 1), ("b", 4))))
    await shipped(billing, Shipment(an_id(), order.order_id, (("a", 2),)))
    first, second = sorted(billing.state.invoices.values(), key=lambda i: i.number)
    assert first.total + second.total == document.total
    assert per_rate([first, second]) == stated(document)
    # Shipping goes whole with the first shipment; every line carries its taxes.
    assert [x.order_line_id for x in first.lines] == ["a", "b", SHIPPING]
    assert all(x.taxes for x in first.lines + second.lines)
    assert first.buyer is not None
    assert (first.buyer.name, first.buyer.tax_id, first.buyer.payment_terms) == (
        "Жуков Sp. z o.o.",
        "PL123",
        "net 14",
    )
    assert first.buyer.address == ("ul. Żółta 5", "90-001 Łódź", "PL")
    assert (first.due_date - first.issued_at.date()).days == 14
    # One unit of "a" back: its share of the second invoice's net and VAT, what was paid for it.
    async with billing() as uow:
        await on_return_received(uow, Return(an_id(), order.order_id, (("a", 1),)))
    (note,) = billing.state.credit_notes.values()
    (credited,) = note.lines
    billed = next(x for x in first.lines if x.order_line_id == "a")
    assert credited.amount == billed.gross  # 1 of the 1 unit the first invoice billed
    assert [(t.code, t.amount) for t in credited.taxes] == [
        (t.code, t.amount) for t in billed.taxes
    ]
    assert note.total == billed.gross
    assert [(t.code, t.base, t.amount) for t in note.taxes] == [
        ("VAT19", billed.total, billed.taxes[0].amount)
    ]
    # Cancelling afterwards credits the rest of each invoice, never more than was invoiced.
    async with billing() as uow:
        await on_sales_order_cancelled(uow, order.order_id)
    notes = list(billing.state.credit_notes.values())
    assert sum((n.total for n in notes), eur("0")) == document.total


async def test_an_order_changed_between_shipments_is_still_invoiced_to_the_cent() -> None:
    document = two_rates()
    billing = FakeBilling()
    order = an_order("C-1", document=document, lines=order_lines(document))
    await placed(billing, order)
    await shipped(billing, Shipment(an_id(), order.order_id, (("a", 1), ("b", 4))))
    # Two more of "a" before the rest ships: orders reprices the document.
    changed = quoted(
        PricedDocument(
            "EUR",
            (
                DocumentGroup(
                    "Goods", (a_line("a", 5, "19.99", VAT19), a_line("b", 4, "2.49", VAT7))
                ),
            ),
            (ShippingCharge("Freight", "4.90", (VAT19,)),),
        )
    )
    now = [
        ChangedLine(x.line_id, x.product_id, x.sku, x.quantity, x.unit_price.amount)
        for x in changed.lines
    ]
    async with billing() as uow:
        await on_sales_order_lines_changed(uow, order.order_id, now, changed)
    await shipped(billing, Shipment(an_id(), order.order_id, (("a", 4),)))
    invoices = sorted(billing.state.invoices.values(), key=lambda i: i.number)
    assert len(invoices) == 2
    assert sum((i.total for i in invoices), eur("0")) == changed.total
    assert per_rate(invoices) == stated(changed)


async def test_an_order_made_from_a_quote_keeps_being_invoiced_whole() -> None:
    document = two_rates()
    billing = FakeBilling()
    order = an_order("C-1", document=document, lines=order_lines(document))
    await placed(billing, replace(order, quote_id="q-1"))
    await shipped(billing, Shipment(an_id(), order.order_id, (("a", 1), ("b", 4))))
    assert billing.state.invoices == {}
    await shipped(billing, Shipment(an_id(), order.order_id, (("a", 2),)))
    (invoice,) = billing.state.invoices.values()
    assert invoice.total == document.total
    assert per_rate([invoice]) == stated(document)


@st.composite
def orders(draw: st.DrawFn) -> tuple[QuotedDocument, list[dict[str, int]], list[dict[str, int]]]:
    """A priced document (rates, discounts, shipping, inclusive or not, either rounding), its
    units shipped in one to three parts, and returns of shipped units in one or two parts."""
    lines = []
    for i in range(draw(st.integers(1, 4))):
        price = draw(st.decimals("1", "120", places=draw(st.sampled_from([2, 3]))))
        taxes = draw(st.lists(st.sampled_from(RATES), max_size=2, unique=True))
        percent = draw(st.sampled_from(["", "10"]))
        lines.append(a_line(f"l{i}", draw(st.integers(1, 6)), str(price), *taxes, percent=percent))
    shipping = draw(st.sampled_from([(), (ShippingCharge("Freight", "5.95", (VAT19,)),)]))
    policy = PricingPolicy(
        draw(st.sampled_from(["per_line", "per_document"])),
        draw(st.sampled_from(["half_up", "half_even"])),
        draw(st.booleans()),
    )
    group = DocumentGroup("G", tuple(lines), Discount(percent=draw(st.sampled_from(["", "5"]))))
    document = quoted(PricedDocument("EUR", (group,), shipping, policy))
    shipments: list[dict[str, int]] = [{}, {}, {}]
    returns: list[dict[str, int]] = [{}, {}]
    for x in lines:
        left = int(x.quantity)
        while left:
            units = draw(st.integers(1, left))
            part = shipments[draw(st.integers(0, 2))]
            part[x.line_id] = part.get(x.line_id, 0) + units
            left -= units
        back = draw(st.integers(0, int(x.quantity)))
        first = draw(st.integers(0, back))
        for part, units in zip(returns, (first, back - first), strict=True):
            if units:
                part[x.line_id] = units
    return document, [s for s in shipments if s], [r for r in returns if r]


@settings(max_examples=150, deadline=None)
@given(orders())
def test_invoices_add_up_to_the_order_per_rate_and_credits_never_exceed_them(
    order: tuple[QuotedDocument, list[dict[str, int]], list[dict[str, int]]],
) -> None:
    document, shipments, returns = order
    copy = OrderCopy.placed("o-1", "C-1", "EUR", order_lines(document), document)
    invoices = []
    for n, units in enumerate(shipments):
        billed = copy.bill_share(Shipment(f"s-{n}", "o-1", tuple(units.items())), invoices)
        invoice, _ = Invoice.issue(
            f"i-{n}",
            f"INV-{n}",
            "C-1",
            billed.lines,
            billed.total,
            issued_at=NOW,
            due_on=NOW.date(),
            created_by="x",
            order_id="o-1",
            shipment_id=f"s-{n}",
            taxes=billed.taxes,
        )
        assert sum((x.gross for x in invoice.lines), eur("0")) == invoice.total
        invoices.append(invoice)
    assert sum((i.total for i in invoices), eur("0")) == document.total
    assert per_rate(invoices) == stated(document)
    credited: dict[str, Money] = {}
    for n, units in enumerate(returns):
        plan = plan_return(copy, invoices, Return(f"r-{n}", "o-1", tuple(units.items())))
        for invoice in invoices:
            mine = plan.of(invoice.id)
            invoice.take_return(mine)
            for c in mine:
                credited[invoice.id] = credited.get(invoice.id, eur("0")) + c.amount
                assert c.amount == c.net + sum((t.amount for t in c.taxes), eur("0"))
    for invoice in invoices:
        assert credited.get(invoice.id, eur("0")) <= invoice.total
        for line in invoice.lines:
            assert line.credited_so_far <= line.gross
            if line.returned == line.quantity and line.order_line_id != SHIPPING:
                assert line.credited_so_far == line.gross  # all of it back: all of it credited
