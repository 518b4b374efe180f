"""A quote as a printable PDF (libs/printing; quoting.application.ports.QuotePrinter): the seller's
letterhead, the customer's name and address, the quote's number, dates and terms, its groups and
the engine's figures with each tax per code and rate. Every figure is printed from the stored
breakdown, never recomputed here, so the paper says exactly what the engine said."""

from __future__ import annotations

from decimal import Decimal

from pricing.document import figure_text as text
from printing.letterhead import Letterhead
from printing.pdf import Column, Document, Group, Section, currency_label
from printing.pdf import render as render_document
from quoting.domain.customer import Customer
from quoting.domain.model import Quote

# Column widths in mm on an A4 page with 15 mm margins (180 mm usable).
COLUMNS = (
    Column("Description", 78, "L", max_chars=48),
    Column("Qty", 16),
    Column("Unit price", 28),
    Column("Discount", 26),
    Column("Net", 32),
)


def _groups(quote: Quote) -> list[Group]:
    """Each group's rows, with each line's own figures from the breakdown."""
    figures = {line.line_id: priced for line, priced in quote.document.lines_with_figures()}
    return [
        Group(
            group.name,
            [
                (
                    f"{line.sku}  {line.description}" if line.sku else line.description,
                    line.quantity,
                    line.unit_price,
                    text(figures[line.line_id].discount),
                    text(figures[line.line_id].net),
                )
                for line in group.lines
            ],
        )
        for group in quote.document.groups
    ]


def _percent(rate: Decimal) -> str:
    return f"{text((rate * 100).normalize())} %"


def quote_name(quote: Quote) -> str:
    """How the quote is named on paper: its number, or its id's first characters before quotes
    were numbered."""
    return quote.number or quote.id[:8]


def document_of(
    quote: Quote, customer: Customer | None = None, seller: Letterhead | None = None
) -> Document:
    content, document = quote.content, quote.document
    figures = document.figures
    currency = document.currency
    totals = [
        ("Subtotal", figures.subtotal),
        ("Discounts", figures.discounts),
        ("Net", figures.net),
        ("Shipping", figures.shipping),
        *((f"{t.code} {_percent(t.rate)} on {text(t.base)}", t.amount) for t in figures.taxes),
    ]
    name = quote_name(quote)
    stated = seller or Letterhead()
    addressee = [content.customer_id]
    if customer is not None:
        addressee = [customer.name, *customer.address]
    return Document(
        title=f"Quote {name}" + (f" (version {quote.version})" if quote.version > 1 else ""),
        metadata_title=f"Quote {name} v{quote.version}",
        fields=[
            ("Date", quote.updated_at.date().isoformat()),
            ("Valid until", content.valid_until),
            ("Salesperson", content.salesperson),
            ("Payment terms", content.payment_terms or "-"),
            ("Currency", currency_label(currency)),
            ("Prices", "including tax" if document.prices_include_tax else "excluding tax"),
        ],
        columns=COLUMNS,
        groups=_groups(quote),
        totals=[(label, f"{text(amount)} {currency}") for label, amount in totals],
        grand_total=("Total", f"{text(figures.total)} {currency}"),
        sections=[
            Section("Terms and conditions", content.terms_and_conditions),
            Section("Notes", content.notes),
        ],
        letterhead=stated.lines(),
        addressee=addressee,
        footer=f"{stated.name}  Quote {name}".strip(),
    )


class PdfPrinter:
    def __init__(self, seller: Letterhead | None = None) -> None:
        self.seller = seller or Letterhead()

    def render(self, quote: Quote, customer: Customer | None = None) -> bytes:
        return render_document(document_of(quote, customer, self.seller))
