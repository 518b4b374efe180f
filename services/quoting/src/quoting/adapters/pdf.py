"""A quote as a printable PDF. Every figure is printed from the stored breakdown, never recomputed
here, so the paper says exactly what the engine said."""

from __future__ import annotations

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from quoting.domain.model import Quote

# Column widths in mm on an A4 page with 15 mm margins (180 mm usable).
COLUMNS = (("Description", 78), ("Qty", 16), ("Unit price", 28), ("Discount", 26), ("Net", 32))


def _text(value: str) -> str:
    # The core fonts are Latin-1; anything else is printed as '?' rather than failing the render.
    return value.encode("latin-1", "replace").decode("latin-1")


def render(quote: Quote) -> bytes:
    content, document = quote.content, quote.document
    figures = document.breakdown
    currency = document.currency
    pdf = FPDF(format="A4")
    pdf.set_margins(15, 15, 15)
    pdf.set_auto_page_break(True, 15)
    pdf.set_title(f"Quote {quote.id} v{quote.version}")
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.cell(
        0,
        10,
        _text(f"Quote {quote.id[:8]} - version {quote.version}"),
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    pdf.set_font("Helvetica", size=10)
    for label, value in (
        ("Customer", content.customer_id),
        ("Salesperson", content.salesperson),
        ("Status", quote.status.value),
        ("Valid until", content.valid_until),
        ("Payment terms", content.payment_terms or "-"),
    ):
        pdf.cell(40, 6, label)
        pdf.cell(0, 6, _text(value), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(4)
    figures_by_line = {line.line_id: line for line in figures.lines}
    for group in document.groups:
        pdf.set_font("Helvetica", "B", 11)
        pdf.cell(0, 8, _text(group.name), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_font("Helvetica", "B", 9)
        for title, width in COLUMNS:
            pdf.cell(width, 6, title, border="B", align="L" if title == "Description" else "R")
        pdf.ln()
        pdf.set_font("Helvetica", size=9)
        for line in group.lines:
            figure = figures_by_line[line.line_id]
            label = f"{line.sku}  {line.description}" if line.sku else line.description
            cells = (label[:48], line.quantity, line.unit_price, figure.discount, figure.net)
            for (title, width), value in zip(COLUMNS, cells, strict=True):
                pdf.cell(width, 6, _text(value), align="L" if title == "Description" else "R")
            pdf.ln()
        pdf.ln(2)
    pdf.set_font("Helvetica", size=10)
    totals = [
        ("Subtotal", figures.subtotal),
        ("Discounts", figures.discounts),
        ("Net", figures.net),
        ("Shipping", figures.shipping),
        *((f"{t.code} ({t.rate} on {t.base})", t.amount) for t in figures.taxes),
    ]
    for label, amount in totals:
        _total_row(pdf, label, f"{amount} {currency}")
    pdf.set_font("Helvetica", "B", 11)
    _total_row(pdf, "Total", f"{figures.total} {currency}")
    pdf.set_font("Helvetica", size=8)
    pdf.ln(4)
    policy = figures.policy
    pdf.multi_cell(
        0,
        4,
        _text(
            f"Priced by engine {figures.engine_version}, rounding {policy.rounding_mode} "
            f"{policy.rounding}, prices {'including' if policy.prices_include_tax else 'excluding'}"
            " tax."
        ),
    )
    for heading, body in [
        ("Terms and conditions", content.terms_and_conditions),
        ("Notes", content.notes),
    ]:
        if body:
            pdf.set_font("Helvetica", "B", 9)
            pdf.cell(0, 6, heading, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.set_font("Helvetica", size=9)
            pdf.multi_cell(0, 5, _text(body))
    return bytes(pdf.output())


def _total_row(pdf: FPDF, label: str, amount: str) -> None:
    pdf.cell(130, 6, _text(label), align="R")
    pdf.cell(50, 6, _text(amount), align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
