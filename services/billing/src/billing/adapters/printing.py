"""Invoices and credit notes as printable PDFs (libs/printing): the printer the PDF queries use.
Every figure is printed as billing stored it -- for an invoice of a priced document, as the
engine's breakdown states it -- never recomputed here."""

from __future__ import annotations

from collections.abc import Sequence

from billing.adapters.documents import priced
from billing.domain.credit_notes import CreditNote
from billing.domain.invoices import Invoice
from oms.types.v1.pricing_pb2 import PricedDocument
from pricing.money import Money
from printing.pdf import Column, Document, Group, Section, render

SIMPLE = (
    Column("Description", 90, "L", max_chars=56),
    Column("Qty", 20),
    Column("Unit price", 34),
    Column("Amount", 36),
)
PRICED = (
    Column("Description", 78, "L", max_chars=48),
    Column("Qty", 16),
    Column("Unit price", 28),
    Column("Discount", 26),
    Column("Net", 32),
)


def _money(amount: Money | None, currency: str) -> str:
    return f"{(amount or Money.zero(currency)).rounded()}"


def _label(sku: str, description: str) -> str:
    return (
        f"{sku}  {description}"
        if sku and description and sku != description
        else sku or description
    )


def invoice_document(invoice: Invoice, customer_name: str = "") -> Document:
    currency = invoice.total.currency
    summary = [
        ("Paid", _money(invoice.amount_paid, currency)),
        ("Credited", _money(invoice.amount_credited, currency)),
        ("Balance due", f"{invoice.balance}"),
    ]
    if invoice.document is None:
        rows = [
            (x.sku, str(x.quantity), f"{x.unit_price.rounded()}", f"{x.total.rounded()}")
            for x in invoice.lines
        ]
        return Document(
            title=f"Invoice {invoice.number}",
            fields=_invoice_fields(invoice, customer_name),
            columns=SIMPLE,
            groups=[Group("", rows)],
            grand_total=("Total", f"{invoice.total.rounded()}"),
            summary=summary,
        )
    return _priced_invoice(invoice, priced(invoice.document), customer_name, summary)


def _invoice_fields(invoice: Invoice, customer_name: str) -> list[tuple[str, str]]:
    fields: list[tuple[str, str]] = [
        (
            "Customer",
            f"{customer_name} ({invoice.customer_id})" if customer_name else invoice.customer_id,
        ),
        ("Issued", invoice.issued_at.date().isoformat()),
        ("Due", invoice.due_date.isoformat() if invoice.due_date else "-"),
    ]
    if invoice.order_id:
        fields.append(("Order", invoice.order_id))
    if invoice.quote_id:
        fields.append(("Quote", invoice.quote_id))
    if invoice.shipment_id:
        fields.append(("Shipment", invoice.shipment_id))
    fields.append(("Status", invoice.status))
    return fields


def _priced_invoice(
    invoice: Invoice,
    document: PricedDocument,
    customer_name: str,
    summary: list[tuple[str, str]],
) -> Document:
    """An invoice of a priced document: its groups with the engine's discounts and nets, its
    subtotal, discounts, shipping, taxes and total."""
    currency = invoice.total.currency
    figures = document.breakdown
    by_line = {line.line_id: line for line in figures.lines}
    groups = [
        Group(
            group.name,
            [
                (
                    _label(line.sku, line.description),
                    line.quantity,
                    line.unit_price,
                    by_line[line.line_id].discount,
                    by_line[line.line_id].net,
                )
                for line in group.lines
            ],
        )
        for group in document.groups
    ]
    totals: Sequence[tuple[str, str]] = [
        ("Subtotal", figures.subtotal),
        ("Discounts", figures.discounts),
        ("Net", figures.net),
        ("Shipping", figures.shipping),
        *((f"{t.code} ({t.rate} on {t.base})", t.amount) for t in figures.taxes),
    ]
    return Document(
        title=f"Invoice {invoice.number}",
        fields=_invoice_fields(invoice, customer_name),
        columns=PRICED,
        groups=groups,
        totals=[(label, f"{amount} {currency}") for label, amount in totals],
        grand_total=("Total", f"{figures.total} {currency}"),
        summary=summary,
        footnote=f"Priced by engine {figures.engine_version}, as quoted.",
    )


def credit_note_document(note: CreditNote, customer_name: str = "") -> Document:
    currency = note.total.currency
    fields: list[tuple[str, str]] = [
        (
            "Customer",
            f"{customer_name} ({note.customer_id})" if customer_name else note.customer_id,
        ),
        ("Issued", note.issued_at.date().isoformat()),
        ("Invoice", note.invoice_number or "- (credit to the customer's account)"),
    ]
    if note.order_id:
        fields.append(("Order", note.order_id))
    fields.append(("Reason", note.reason))
    if note.return_id:
        fields.append(("Return", note.return_id))
    rows = [
        (x.sku, str(x.quantity), f"{x.unit_price.rounded()}", f"{x.amount.rounded()}")
        for x in note.lines
    ]
    if not rows:
        rows = [(note.memo or note.reason, "", "", f"{note.total.rounded()}")]
    return Document(
        title=f"Credit note {note.number}",
        fields=fields,
        columns=SIMPLE,
        groups=[Group("", rows)],
        grand_total=("Total credited", f"{note.total.rounded()}"),
        summary=[
            ("Taken off the invoice", _money(note.total - note.unapplied, currency)),
            ("To the customer's credit", _money(note.unapplied, currency)),
        ],
        sections=[Section("Memo", note.memo if note.lines else "")],
    )


class PdfPrinter:
    def invoice(self, invoice: Invoice, customer_name: str = "") -> bytes:
        return render(invoice_document(invoice, customer_name))

    def credit_note(self, note: CreditNote, customer_name: str = "") -> bytes:
        return render(credit_note_document(note, customer_name))
