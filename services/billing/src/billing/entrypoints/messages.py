"""Billing's values as their protobuf messages (oms.billing.v1), as callers see them: amounts
without trailing zeros beyond the currency's minor unit, balances rounded to it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from billing.adapters.documents import priced
from billing.domain.bills import Bill
from billing.domain.credit_notes import CreditNote
from billing.domain.exchange import SetRate, rate_text
from billing.domain.invoices import Invoice
from billing.domain.payments import Payment
from billing.domain.receivables import BUCKETS, Aging, AgingLine
from billing.domain.revenue import Row
from billing.domain.supplier_payments import SupplierPayment
from billing.domain.taxes import Buyer, LineTax, Seller, TaxTotal
from oms.billing.v1 import billing_pb2 as pb
from oms.types.v1 import types_pb2
from pricing.money import Money
from pricing.wire import money_to_proto
from servicekit.grpc import timestamp


def shown(money: Money) -> types_pb2.Money:
    """An amount as stored, without the trailing zeros the column adds: 12.500000 -> 12.50."""
    return money_to_proto(money.trimmed())


def line_taxes(taxes: tuple[LineTax, ...]) -> list[pb.LineTax]:
    return [pb.LineTax(code=t.code, rate=str(t.rate), amount=shown(t.amount)) for t in taxes]


def document_taxes(taxes: Sequence[TaxTotal]) -> list[pb.DocumentTax]:
    return [
        pb.DocumentTax(code=t.code, rate=str(t.rate), base=shown(t.base), amount=shown(t.amount))
        for t in taxes
    ]


def seller_to_proto(seller: Seller) -> pb.Party:
    return pb.Party(
        name=seller.name,
        tax_id=seller.tax_id,
        address=list(seller.address),
        registration=seller.registration,
    )


def buyer_to_proto(buyer: Buyer | None) -> pb.Party | None:
    if buyer is None:
        return None
    return pb.Party(name=buyer.name, tax_id=buyer.tax_id, address=list(buyer.address))


def invoice_to_proto(invoice: Invoice, seller: Seller | None = None) -> pb.Invoice:
    stated = seller or Seller()
    tax = sum((t.amount for t in invoice.taxes), Money.zero(invoice.currency))
    message = _invoice_figures(invoice)
    message.MergeFrom(
        pb.Invoice(
            seller=seller_to_proto(stated),
            buyer=buyer_to_proto(invoice.buyer),
            payment_terms=invoice.buyer.payment_terms if invoice.buyer else "",
            taxes=document_taxes(invoice.taxes),
            payment_instructions=stated.payment_instructions,
            tax_exemption=invoice.buyer.tax_exemption if invoice.buyer else "",
            net=shown(invoice.total - tax),
        )
    )
    return message


def _invoice_figures(invoice: Invoice) -> pb.Invoice:
    return pb.Invoice(
        id=invoice.id,
        number=invoice.number,
        order_id=invoice.order_id,
        shipment_id=invoice.shipment_id,
        customer_id=invoice.customer_id,
        lines=[
            pb.InvoiceLine(
                order_line_id=x.order_line_id,
                product_id=x.product_id,
                sku=x.sku,
                quantity=x.quantity,
                unit_price=shown(x.unit_price),
                line_total=shown(x.total),
                taxes=line_taxes(x.taxes),
                gross=shown(x.gross),
            )
            for x in invoice.lines
        ],
        total=shown(invoice.total),
        status=invoice.status,
        issued_at=timestamp(invoice.issued_at),
        quote_id=invoice.quote_id,
        document=None if invoice.document is None else priced(invoice.document),
        due_date=invoice.due_date.isoformat(),
        amount_paid=shown(invoice.amount_paid),
        amount_credited=shown(invoice.amount_credited),
        balance=money_to_proto(invoice.balance),
    )


def payment_to_proto(payment: Payment) -> pb.Payment:
    return pb.Payment(
        id=payment.id,
        invoice_id=payment.invoice_id,
        invoice_number=payment.invoice_number,
        order_id=payment.order_id,
        customer_id=payment.customer_id,
        amount=shown(payment.amount),
        reference=payment.reference,
        received_on=payment.received_on.isoformat(),
        recorded_at=timestamp(payment.recorded_at),
        recorded_by=payment.recorded_by,
        kind=payment.kind,
        allocations=[
            pb.PaymentAllocation(
                id=a.id,
                invoice_id=a.invoice_id,
                invoice_number=a.invoice_number,
                amount=shown(a.amount),
                allocated_at=timestamp(a.allocated_at),
                unallocated_at=timestamp(a.unallocated_at) if a.unallocated_at else None,
                unallocated_by=a.unallocated_by,
            )
            for a in payment.allocations
        ],
        allocated=shown(payment.allocated),
        unapplied=shown(payment.unapplied or payment.amount.times(0)),
    )


def credit_note_to_proto(note: CreditNote, seller: Seller | None = None) -> pb.CreditNote:
    message = _credit_note_figures(note)
    tax = sum((t.amount for t in note.taxes), Money.zero(note.total.currency))
    message.MergeFrom(
        pb.CreditNote(
            seller=seller_to_proto(seller or Seller()),
            buyer=buyer_to_proto(note.buyer),
            taxes=document_taxes(note.taxes),
            tax_exemption=note.buyer.tax_exemption if note.buyer else "",
            net=shown(note.total - tax),
        )
    )
    return message


def _credit_note_figures(note: CreditNote) -> pb.CreditNote:
    return pb.CreditNote(
        id=note.id,
        number=note.number,
        invoice_id=note.invoice_id,
        invoice_number=note.invoice_number,
        order_id=note.order_id,
        customer_id=note.customer_id,
        lines=[
            pb.CreditNoteLine(
                order_line_id=x.order_line_id,
                product_id=x.product_id,
                sku=x.sku,
                quantity=x.quantity,
                unit_price=shown(x.unit_price),
                line_total=shown(x.amount),
                taxes=line_taxes(x.taxes),
                net=shown(x.net),
            )
            for x in note.lines
        ],
        total=shown(note.total),
        unapplied=shown(note.unapplied),
        reason=note.reason,
        return_id=note.return_id,
        issued_at=timestamp(note.issued_at),
        memo=note.memo,
    )


def aging_line_to_proto(line: AgingLine) -> pb.AgingLine:
    zero = Money.zero(line.currency).rounded()
    return pb.AgingLine(
        party_id=line.party_id,
        currency=line.currency,
        buckets=pb.AgingBuckets(
            **{name: money_to_proto(line.bucket(name).rounded()) for name in BUCKETS},
            total=money_to_proto(line.total.rounded()),
        ),
        credit=money_to_proto((line.credit or zero).rounded()),
        documents=line.documents,
    )


def aging_parts(as_of: date, aging: Aging) -> tuple[str, list[pb.AgingLine], list[pb.AgingLine]]:
    return (
        as_of.isoformat(),
        [aging_line_to_proto(x) for x in aging.lines],
        [aging_line_to_proto(x) for x in aging.totals],
    )


def revenue_row_to_proto(row: Row) -> pb.RevenueRow:
    return pb.RevenueRow(
        period=row.period,
        channel=row.channel,
        invoiced=money_to_proto(row.invoiced.rounded()),
        credited=money_to_proto(row.credited.rounded()),
        net=money_to_proto(row.net.rounded()),
        invoices=row.invoices,
        credit_notes=row.credit_notes,
        invoiced_net=money_to_proto(row.invoiced_net.rounded()),
        invoiced_tax=money_to_proto(row.invoiced_tax.rounded()),
        credited_net=money_to_proto(row.credited_net.rounded()),
        credited_tax=money_to_proto(row.credited_tax.rounded()),
        net_revenue=money_to_proto(row.net_revenue.rounded()),
        tax=money_to_proto(row.tax.rounded()),
    )


def bill_to_proto(bill: Bill) -> pb.Bill:
    return pb.Bill(
        id=bill.id,
        purchase_order_id=bill.purchase_order_id,
        purchase_order_number=bill.purchase_order_number,
        supplier_id=bill.supplier_id,
        supplier_reference=bill.supplier_reference,
        lines=[
            pb.BillLine(
                product_id=x.product_id,
                sku=x.sku,
                quantity=x.quantity,
                unit_price=shown(x.unit_price),
                line_total=shown(x.line_total),
                ordered_quantity=x.ordered_quantity,
                received_quantity=x.received_quantity,
                ordered_unit_price=shown(x.ordered_unit_price),
                billed_before=x.billed_before,
                issue=x.issue,
            )
            for x in bill.lines
        ],
        total=shown(bill.total),
        status=bill.status,
        match_status=bill.match_status,
        reason=bill.reason,
        amount_paid=shown(bill.amount_paid),
        balance=money_to_proto(bill.balance),
        due_date=bill.due_date.isoformat(),
        recorded_at=timestamp(bill.recorded_at),
        recorded_by=bill.recorded_by,
        released_at=timestamp(bill.released_at) if bill.released_at else None,
        released_by=bill.released_by,
        release_note=bill.release_note,
        dual_control=bill.dual_control,
    )


def supplier_payment_to_proto(payment: SupplierPayment) -> pb.SupplierPayment:
    return pb.SupplierPayment(
        id=payment.id,
        supplier_id=payment.supplier_id,
        amount=shown(payment.amount),
        reference=payment.reference,
        paid_on=payment.paid_on.isoformat(),
        allocations=[
            pb.SupplierPaymentAllocation(
                bill_id=a.bill_id,
                supplier_reference=a.supplier_reference,
                amount=shown(a.amount),
            )
            for a in payment.allocations
        ],
        unapplied=shown(payment.unapplied),
        recorded_at=timestamp(payment.recorded_at),
        recorded_by=payment.recorded_by,
    )


def exchange_rate_to_proto(found: SetRate) -> pb.ExchangeRate:
    return pb.ExchangeRate(
        base_currency=found.rate.base,
        quote_currency=found.rate.quote,
        rate=rate_text(found.rate.rate),
        effective_from=found.rate.effective_from.isoformat(),
        set_at=timestamp(found.set_at),
        set_by=found.set_by,
    )
