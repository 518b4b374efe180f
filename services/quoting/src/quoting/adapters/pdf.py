"""A quote as a printable PDF (libs/printing; quoting.application.ports.QuotePrinter). Every
figure is printed from the stored breakdown, never recomputed here, so the paper says exactly
what the engine said."""

from __future__ import annotations

from pricing.document import figure_text as text
from printing.pdf import Column, Document, Group, Section
from printing.pdf import render as render_document
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


def document_of(quote: Quote) -> Document:
    content, document = quote.content, quote.document
    figures = document.figures
    currency = document.currency
    totals = [
        ("Subtotal", figures.subtotal),
        ("Discounts", figures.discounts),
        ("Net", figures.net),
        ("Shipping", figures.shipping),
        *((f"{t.code} ({text(t.rate)} on {text(t.base)})", t.amount) for t in figures.taxes),
    ]
    policy = figures.policy
    inclusive = "including" if document.prices_include_tax else "excluding"
    return Document(
        title=f"Quote {quote.id[:8]} - version {quote.version}",
        metadata_title=f"Quote {quote.id} v{quote.version}",
        fields=[
            ("Customer", content.customer_id),
            ("Salesperson", content.salesperson),
            ("Status", quote.status.value),
            ("Valid until", content.valid_until),
            ("Payment terms", content.payment_terms or "-"),
        ],
        columns=COLUMNS,
        groups=_groups(quote),
        totals=[(label, f"{text(amount)} {currency}") for label, amount in totals],
        grand_total=("Total", f"{text(figures.total)} {currency}"),
        footnote=(
            f"Priced by engine {figures.engine_version}, rounding {policy.mode.value} "
            f"{policy.rounding.name.lower()}, prices {inclusive} tax."
        ),
        sections=[
            Section("Terms and conditions", content.terms_and_conditions),
            Section("Notes", content.notes),
        ],
    )


class PdfPrinter:
    def render(self, quote: Quote) -> bytes:
        return render_document(document_of(quote))
