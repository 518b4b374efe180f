"""Invoices and credit notes on paper: every figure as billing stored it."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from google.protobuf.json_format import MessageToDict

from billing.adapters.documents import quoted
from billing.adapters.printing import PdfPrinter
from billing.domain.credit_notes import CreditLine, CreditNote
from billing.domain.invoices import Invoice, InvoiceLine
from billing.domain.taxes import Buyer, LineTax, Seller, TaxTotal
from pricing.money import Money
from printing.pdf import page_text
from testkit.documents import a_priced_document

ISSUED = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
render_invoice = PdfPrinter().invoice
render_credit_note = PdfPrinter().credit_note


def eur(amount: str) -> Money:
    return Money(Decimal(amount), "EUR")


def shown(rendered: bytes, *texts: str) -> None:
    assert rendered.startswith(b"%PDF-")
    pages = page_text(rendered).decode()
    for text in texts:
        assert text in pages, text


def test_a_simple_invoice_prints_its_lines_total_and_what_is_left_to_pay() -> None:
    invoice = Invoice(
        "inv-1",
        "INV-2026-000007",
        "C-1",
        eur("37.50"),
        ISSUED,
        date(2026, 4, 1),
        "fiona",
        [InvoiceLine("l-1", "p-1", "SKU-1", 3, eur("12.50"))],
        amount_paid=eur("10.00"),
        amount_credited=eur("0.00"),
        status="partially_paid",
        order_id="order-1",
        shipment_id="shipment-1",
    )
    shown(
        render_invoice(invoice, "Acme"),
        "Invoice INV-2026-000007",
        "Acme",
        "C-1",
        "2026-04-01",
        "SKU-1",
        "12.50 EUR",
        "37.50 EUR",
        "Balance due",
        "27.50 EUR",
    )


def test_an_invoice_of_a_priced_document_prints_the_engines_figures() -> None:
    document = a_priced_document()
    figures = document.breakdown
    invoice = Invoice(
        "inv-2",
        "INV-2026-000008",
        "C-2",
        Money(Decimal(figures.total), "EUR"),
        ISSUED,
        date(2026, 4, 1),
        "fiona",
        quoted(document).whole().lines,
        eur("0"),
        eur("0"),
        quote_id="q-1",
        document=MessageToDict(document),
    )
    shown(
        render_invoice(invoice),
        "Total",
        f"{figures.total} EUR",
        f"{figures.net} EUR",
        *(f"{t.amount} EUR" for t in figures.taxes),
        "Hardware",
    )


def test_a_credit_note_prints_its_lines_or_its_memo_and_where_the_credit_went() -> None:
    note = CreditNote(
        "cn-1",
        "CN-2026-000003",
        "C-1",
        eur("25.00"),
        eur("5.00"),
        "returned",
        ISSUED,
        "fiona",
        invoice_id="inv-1",
        order_id="order-1",
        return_id="r-1",
        lines=[CreditLine("inv-1", "l-1", "p-1", "SKU-1", 2, eur("12.50"), eur("25.00"))],
        invoice_number="INV-2026-000007",
    )
    shown(
        render_credit_note(note),
        "Credit note CN-2026-000003",
        "INV-2026-000007",
        "25.00 EUR",
        "20.00 EUR",
        "5.00 EUR",
    )
    free = CreditNote(
        "cn-2", "CN-2026-000004", "C-1", eur("15.00"), eur("15.00"), "adjustment", ISSUED,
        "fiona", memo="goodwill: late delivery",
    )  # fmt: skip
    shown(
        render_credit_note(free),
        "goodwill: late delivery",
        "15.00 EUR",
        "- (credit to the customer's account)",
    )


def test_an_invoice_of_a_shipment_names_seller_and_buyer_terms_taxes_and_how_to_pay() -> None:
    vat19, vat7 = Decimal("0.19"), Decimal("0.07")
    invoice = Invoice(
        "inv-3",
        "INV-2026-000009",
        "C-3",
        eur("129.80"),
        ISSUED,
        date(2026, 4, 1),
        "fiona",
        [
            InvoiceLine(
                "l-1",
                "p-1",
                "SKU-1",
                2,
                eur("50.00"),
                eur("100.00"),
                taxes=(LineTax("VAT19", vat19, eur("19.00")),),
            ),
            InvoiceLine(
                "l-2",
                "p-2",
                "SKU-2",
                1,
                eur("10.00"),
                eur("10.00"),
                taxes=(LineTax("VAT7", vat7, eur("0.70")),),
            ),
        ],
        eur("0"),
        eur("0"),
        order_id="order-1",
        shipment_id="shipment-1",
        taxes=(
            TaxTotal("VAT19", vat19, eur("100.00"), eur("19.00")),
            TaxTotal("VAT7", vat7, eur("10.00"), eur("0.70")),
        ),
        buyer=Buyer(
            "Жуков Łódź Sp. z o.o.", "PL1234567890", ("ul. Żółta 5", "90-001 Łódź", "PL"), "net 14"
        ),
    )
    seller = Seller(
        "Müller & Söhne GmbH", ("Straße 1", "10115 Berlin"), "DE123456789", "HRB 1", "IBAN DE00 1"
    )
    shown(
        PdfPrinter(seller).invoice(invoice, "ignored"),
        "Müller & Söhne GmbH",
        "Tax id: DE123456789",
        "HRB 1",
        "Жуков Łódź Sp. z o.o.",
        "90-001 Łódź",
        "Tax id: PL1234567890",
        "net 14",
        "2026-04-01",
        "EUR (€)",
        "VAT19 19 % on 100.00 EUR",
        "19.00 EUR",
        "VAT7 7 % on 10.00 EUR",
        "0.70 EUR",
        "129.80 EUR",
        "IBAN DE00 1",
        "Page 1 of 1",
    )
