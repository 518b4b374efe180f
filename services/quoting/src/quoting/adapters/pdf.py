"""A quote as a printable PDF (libs/printing). Every figure is printed from the stored
breakdown, never recomputed here, so the paper says exactly what the engine said."""

from __future__ import annotations

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


def document_of(quote: Quote) -> Document:
    content, document = quote.content, quote.document
    figures = document.breakdown
    currency = document.currency
    figures_by_line = {line.line_id: line for line in figures.lines}
    groups = [
        Group(
            group.name,
            [
                (
                    f"{line.sku}  {line.description}" if line.sku else line.description,
                    line.quantity,
                    line.unit_price,
                    figures_by_line[line.line_id].discount,
                    figures_by_line[line.line_id].net,
                )
                for line in group.lines
            ],
        )
        for group in document.groups
    ]
    totals = [
        ("Subtotal", figures.subtotal),
        ("Discounts", figures.discounts),
        ("Net", figures.net),
        ("Shipping", figures.shipping),
        *((f"{t.code} ({t.rate} on {t.base})", t.amount) for t in figures.taxes),
    ]
    policy = figures.policy
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
        groups=groups,
        totals=[(label, f"{amount} {currency}") for label, amount in totals],
        grand_total=("Total", f"{figures.total} {currency}"),
        footnote=(
            f"Priced by engine {figures.engine_version}, rounding {policy.rounding_mode} "
            f"{policy.rounding}, prices {'including' if policy.prices_include_tax else 'excluding'}"
            " tax."
        ),
        sections=[
            Section("Terms and conditions", content.terms_and_conditions),
            Section("Notes", content.notes),
        ],
    )


def render(quote: Quote) -> bytes:
    return render_document(document_of(quote))
