"""Invoices and credit notes as printable PDFs (libs/printing): the printer the PDF queries use.
Each names the seller (its legal data, from configuration) and the buyer as the document stored
them, the payment terms and due date, every line with its taxes, the tax breakdown per code and
rate, and how to pay. Every figure is printed as billing stored it -- for an invoice of a priced
document, as the engine's breakdown states it -- never recomputed here."""

from __future__ import annotations

from collections.abc import Sequence

from billing.adapters.documents import priced
from billing.domain.credit_notes import CreditLine, CreditNote
from billing.domain.invoices import Invoice, InvoiceLine
from billing.domain.taxes import Buyer, LineTax, Seller, TaxTotal
from oms.types.v1.pricing_pb2 import PricedDocument
from pricing.money import Money
from printing.pdf import Column, Document, Group, Section, currency_label, render

SIMPLE = (
    Column("Description", 90, "L", max_chars=56),
    Column("Qty", 20),
    Column("Unit price", 34),
    Column("Amount", 36),
)
TAXED = (
    Column("Description", 62, "L", max_chars=38),
    Column("Qty", 12),
    Column("Unit price", 26),
    Column("Net", 26),
    Column("Tax", 28, max_chars=18),
    Column("Amount", 26),
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


def _percent(rate: object) -> str:
    text = f"{rate}"
    try:
        value = float(text) * 100
    except ValueError:
        return text
    return f"{value:g} %"


def letterhead(seller: Seller) -> list[str]:
    """The seller's name, address and legal lines, as the top of every document prints them."""
    if not seller.name:
        return []
    lines = [seller.name, ", ".join(seller.address)]
    if seller.tax_id:
        lines.append(f"Tax id: {seller.tax_id}")
    if seller.registration:
        lines.append(seller.registration)
    return [line for line in lines if line]


def addressee(buyer: Buyer | None, customer_name: str, customer_id: str) -> list[str]:
    """The buyer's block: name, address, tax id."""
    if buyer is None or not buyer.name:
        return [customer_name or customer_id]
    lines = [buyer.name, *buyer.address]
    if buyer.tax_id:
        lines.append(f"Tax id: {buyer.tax_id}")
    return lines


def tax_rows(taxes: Sequence[TaxTotal]) -> list[tuple[str, str]]:
    """One row per (code, rate): "VAT19 19 % on 100.00 EUR" and the tax."""
    return [
        (f"{t.code} {_percent(t.rate)} on {t.base.rounded()}", f"{t.amount.rounded()}")
        for t in taxes
    ]


def _line_taxes(taxes: Sequence[LineTax]) -> str:
    return ", ".join(f"{t.code} {t.amount.rounded().amount}" for t in taxes)


def _closing(seller: Seller, buyer: Buyer | None) -> list[Section]:
    return [
        Section("Tax exemption", buyer.tax_exemption if buyer else ""),
        Section("Payment instructions", seller.payment_instructions),
    ]


def invoice_document(
    invoice: Invoice, customer_name: str = "", seller: Seller | None = None
) -> Document:
    stated = seller or Seller()
    currency = invoice.total.currency
    summary = [
        ("Paid", _money(invoice.amount_paid, currency)),
        ("Credited", _money(invoice.amount_credited, currency)),
        ("Balance due", f"{invoice.balance}"),
    ]
    head = Document(
        title=f"Invoice {invoice.number}",
        fields=_invoice_fields(invoice),
        letterhead=letterhead(stated),
        addressee=addressee(invoice.buyer, customer_name, invoice.customer_id),
        grand_total=("Total", f"{invoice.total.rounded()}"),
        summary=summary,
        sections=_closing(stated, invoice.buyer),
        footer=f"{stated.name}  Invoice {invoice.number}".strip(),
    )
    if invoice.document is not None:
        return _priced_invoice(invoice, priced(invoice.document), head)
    return _lines_invoice(invoice, head)


def _lines_invoice(invoice: Invoice, head: Document) -> Document:
    """An invoice of a shipment: each line with its net and taxes when it has any."""
    currency = invoice.total.currency
    if not invoice.taxes:
        rows = [
            (x.sku, str(x.quantity), f"{x.unit_price.rounded()}", f"{x.total.rounded()}")
            for x in invoice.lines
        ]
        return _with(head, SIMPLE, [Group("", rows)], [])
    taxed = [_taxed_row(x) for x in invoice.lines]
    tax = sum((t.amount for t in invoice.taxes), Money.zero(currency))
    totals = [("Net", f"{(invoice.total - tax).rounded()}"), *tax_rows(invoice.taxes)]
    return _with(head, TAXED, [Group("", taxed)], totals)


def _taxed_row(line: InvoiceLine) -> tuple[str, ...]:
    return (
        line.sku,
        str(line.quantity),
        f"{line.unit_price.rounded().amount}",
        f"{line.total.rounded().amount}",
        _line_taxes(line.taxes),
        f"{line.gross.rounded().amount}",
    )


def _with(
    head: Document,
    columns: Sequence[Column],
    groups: Sequence[Group],
    totals: Sequence[tuple[str, str]],
) -> Document:
    return Document(
        title=head.title,
        fields=head.fields,
        columns=columns,
        groups=groups,
        totals=totals,
        grand_total=head.grand_total,
        summary=head.summary,
        sections=head.sections,
        letterhead=head.letterhead,
        addressee=head.addressee,
        footer=head.footer,
    )


def _invoice_fields(invoice: Invoice) -> list[tuple[str, str]]:
    fields: list[tuple[str, str]] = [
        ("Customer", invoice.customer_id),
        ("Issued", invoice.issued_at.date().isoformat()),
        ("Due", invoice.due_date.isoformat() if invoice.due_date else "-"),
        ("Currency", currency_label(invoice.currency)),
    ]
    if invoice.buyer is not None and invoice.buyer.payment_terms:
        fields.append(("Payment terms", invoice.buyer.payment_terms))
    if invoice.order_id:
        fields.append(("Order", invoice.order_id))
    if invoice.quote_id:
        fields.append(("Quote", invoice.quote_id))
    if invoice.shipment_id:
        fields.append(("Shipment", invoice.shipment_id))
    return fields


def _priced_invoice(invoice: Invoice, document: PricedDocument, head: Document) -> Document:
    """An invoice of a priced document: its groups with the engine's discounts and nets, its
    subtotal, discounts, shipping, taxes per code and rate and total."""
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
    totals: list[tuple[str, str]] = [
        (label, f"{amount} {currency}")
        for label, amount in (
            ("Subtotal", figures.subtotal),
            ("Discounts", figures.discounts),
            ("Net", figures.net),
            ("Shipping", figures.shipping),
        )
    ]
    totals += tax_rows(invoice.taxes) or [
        (f"{t.code} {_percent(t.rate)} on {t.base} {currency}", f"{t.amount} {currency}")
        for t in figures.taxes
    ]
    return _with(head, PRICED, groups, totals)


def credit_note_document(
    note: CreditNote, customer_name: str = "", seller: Seller | None = None
) -> Document:
    stated = seller or Seller()
    currency = note.total.currency
    fields: list[tuple[str, str]] = [
        ("Customer", note.customer_id),
        ("Issued", note.issued_at.date().isoformat()),
        ("Invoice", note.invoice_number or "- (credit to the customer's account)"),
        ("Currency", currency_label(currency)),
    ]
    if note.order_id:
        fields.append(("Order", note.order_id))
    fields.append(("Reason", note.reason))
    if note.return_id:
        fields.append(("Return", note.return_id))
    taxes = note.taxes
    columns: Sequence[Column]
    if taxes:
        columns, rows = TAXED, [_credited_row(x) for x in note.lines]
        tax = sum((t.amount for t in taxes), Money.zero(currency))
        totals = [("Net", f"{(note.total - tax).rounded()}"), *tax_rows(taxes)]
    else:
        columns, totals = SIMPLE, []
        rows = [
            (x.sku, str(x.quantity), f"{x.unit_price.rounded()}", f"{x.amount.rounded()}")
            for x in note.lines
        ]
    if not rows:
        rows = [(note.memo or note.reason, "", "", f"{note.total.rounded()}")]
        columns = SIMPLE
    return Document(
        title=f"Credit note {note.number}",
        fields=fields,
        columns=columns,
        groups=[Group("", rows)],
        totals=totals,
        grand_total=("Total credited", f"{note.total.rounded()}"),
        summary=[
            ("Taken off the invoice", _money(note.total - note.unapplied, currency)),
            ("To the customer's credit", _money(note.unapplied, currency)),
        ],
        sections=[Section("Memo", note.memo if note.lines else ""), *_closing(stated, note.buyer)],
        letterhead=letterhead(stated),
        addressee=addressee(note.buyer, customer_name, note.customer_id),
        footer=f"{stated.name}  Credit note {note.number}".strip(),
    )


def _credited_row(line: CreditLine) -> tuple[str, ...]:
    return (
        line.sku,
        str(line.quantity),
        f"{line.unit_price.rounded().amount}",
        f"{line.net.rounded().amount}",
        _line_taxes(line.taxes),
        f"{line.amount.rounded().amount}",
    )


class PdfPrinter:
    def __init__(self, seller: Seller | None = None) -> None:
        self.seller = seller or Seller()

    def invoice(self, invoice: Invoice, customer_name: str = "") -> bytes:
        return render(invoice_document(invoice, customer_name, self.seller))

    def credit_note(self, note: CreditNote, customer_name: str = "") -> bytes:
        return render(credit_note_document(note, customer_name, self.seller))
