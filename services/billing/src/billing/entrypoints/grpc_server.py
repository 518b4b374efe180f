"""billing.v1.BillingService: protobuf in, use cases, protobuf out."""

from __future__ import annotations

from datetime import date
from typing import TypeAlias

import grpc

from billing.adapters.pdf import render_credit_note, render_invoice
from billing.application.accounts import Customers
from billing.application.credits import CreditNote, Credits
from billing.application.invoicing import Invoice, Invoicing
from billing.application.payables import Bill, Payables, SupplierPayment
from billing.application.payments import Payment, Payments
from billing.application.reports import Reports
from billing.domain.payables import LineIn
from billing.domain.receivables import BUCKETS, Aging, AgingLine
from billing.domain.revenue import Row
from oms.billing.v1 import billing_pb2 as pb
from oms.billing.v1 import billing_pb2_grpc
from pricing.money import Money
from pricing.wire import money_to_proto
from servicekit.grpc import timestamp

Context: TypeAlias = grpc.aio.ServicerContext


def invoice_to_proto(invoice: Invoice) -> pb.Invoice:
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
                unit_price=money_to_proto(x.unit_price),
                line_total=money_to_proto(x.total),
            )
            for x in invoice.lines
        ],
        total=money_to_proto(invoice.total),
        status=invoice.status,
        issued_at=timestamp(invoice.issued_at),
        quote_id=invoice.quote_id,
        document=invoice.document,
        due_date=invoice.due_date.isoformat() if invoice.due_date else "",
        amount_paid=money_to_proto(invoice.amount_paid or invoice.total.times(0).rounded()),
        amount_credited=money_to_proto(invoice.amount_credited or invoice.total.times(0).rounded()),
        balance=money_to_proto(invoice.balance),
    )


def payment_to_proto(payment: Payment) -> pb.Payment:
    return pb.Payment(
        id=payment.id,
        invoice_id=payment.invoice_id,
        invoice_number=payment.invoice_number,
        order_id=payment.order_id,
        customer_id=payment.customer_id,
        amount=money_to_proto(payment.amount),
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
                amount=money_to_proto(a.amount),
                allocated_at=timestamp(a.allocated_at),
                unallocated_at=timestamp(a.unallocated_at) if a.unallocated_at else None,
                unallocated_by=a.unallocated_by,
            )
            for a in payment.allocations
        ],
        allocated=money_to_proto(payment.allocated),
        unapplied=money_to_proto(payment.unapplied or payment.amount.times(0).rounded()),
    )


def credit_note_to_proto(note: CreditNote) -> pb.CreditNote:
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
                unit_price=money_to_proto(x.unit_price),
                line_total=money_to_proto(x.amount),
            )
            for x in note.lines
        ],
        total=money_to_proto(note.total),
        unapplied=money_to_proto(note.unapplied),
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


def revenue_row_to_proto(row: Row) -> pb.RevenueRow:
    return pb.RevenueRow(
        period=row.period,
        channel=row.channel,
        invoiced=money_to_proto(row.invoiced.rounded()),
        credited=money_to_proto(row.credited.rounded()),
        net=money_to_proto(row.net.rounded()),
        invoices=row.invoices,
        credit_notes=row.credit_notes,
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
                unit_price=money_to_proto(x.unit_price),
                line_total=money_to_proto(x.line_total),
                ordered_quantity=x.ordered_quantity,
                received_quantity=x.received_quantity,
                ordered_unit_price=money_to_proto(x.ordered_unit_price),
                billed_before=x.billed_before,
                issue=x.issue,
            )
            for x in bill.lines
        ],
        total=money_to_proto(bill.total),
        status=bill.status,
        match_status=bill.match_status,
        reason=bill.reason,
        amount_paid=money_to_proto(bill.amount_paid),
        balance=money_to_proto(bill.balance),
        due_date=bill.due_date.isoformat(),
        recorded_at=timestamp(bill.recorded_at),
        recorded_by=bill.recorded_by,
        released_at=timestamp(bill.released_at) if bill.released_at else None,
        released_by=bill.released_by,
        release_note=bill.release_note,
    )


def supplier_payment_to_proto(payment: SupplierPayment) -> pb.SupplierPayment:
    return pb.SupplierPayment(
        id=payment.id,
        supplier_id=payment.supplier_id,
        amount=money_to_proto(payment.amount),
        reference=payment.reference,
        paid_on=payment.paid_on.isoformat(),
        allocations=[
            pb.SupplierPaymentAllocation(
                bill_id=a.bill_id,
                supplier_reference=a.supplier_reference,
                amount=money_to_proto(a.amount),
            )
            for a in payment.allocations
        ],
        unapplied=money_to_proto(payment.unapplied),
        recorded_at=timestamp(payment.recorded_at),
        recorded_by=payment.recorded_by,
    )


def aging_parts(as_of: date, aging: Aging) -> tuple[str, list[pb.AgingLine], list[pb.AgingLine]]:
    return (
        as_of.isoformat(),
        [aging_line_to_proto(x) for x in aging.lines],
        [aging_line_to_proto(x) for x in aging.totals],
    )


class BillingServicer(billing_pb2_grpc.BillingServiceServicer):
    def __init__(
        self,
        invoicing: Invoicing,
        payments: Payments,
        credits: Credits,
        customers: Customers,
        payables: Payables,
        reports: Reports,
    ) -> None:
        self.invoicing = invoicing
        self.payments = payments
        self.credits = credits
        self.customers = customers
        self.payables = payables
        self.reports = reports

    async def GetInvoice(
        self, request: pb.GetInvoiceRequest, context: Context
    ) -> pb.GetInvoiceResponse:
        return pb.GetInvoiceResponse(
            invoice=invoice_to_proto(await self.invoicing.get(request.invoice_id))
        )

    async def ListInvoices(
        self, request: pb.ListInvoicesRequest, context: Context
    ) -> pb.ListInvoicesResponse:
        found = await self.invoicing.find(order_id=request.order_id)
        return pb.ListInvoicesResponse(invoices=[invoice_to_proto(i) for i in found])

    async def RecordPayment(
        self, request: pb.RecordPaymentRequest, context: Context
    ) -> pb.RecordPaymentResponse:
        payment = await self.payments.record(
            request.invoice_id, request.amount, request.reference, request.received_on
        )
        return pb.RecordPaymentResponse(payment=payment_to_proto(payment))

    async def ListPayments(
        self, request: pb.ListPaymentsRequest, context: Context
    ) -> pb.ListPaymentsResponse:
        found = await self.payments.find(
            invoice_id=request.invoice_id, customer_id=request.customer_id
        )
        return pb.ListPaymentsResponse(payments=[payment_to_proto(p) for p in found])

    async def GetPayment(
        self, request: pb.GetPaymentRequest, context: Context
    ) -> pb.GetPaymentResponse:
        return pb.GetPaymentResponse(
            payment=payment_to_proto(await self.payments.get(request.payment_id))
        )

    async def ListCreditNotes(
        self, request: pb.ListCreditNotesRequest, context: Context
    ) -> pb.ListCreditNotesResponse:
        found = await self.credits.find(order_id=request.order_id, customer_id=request.customer_id)
        return pb.ListCreditNotesResponse(credit_notes=[credit_note_to_proto(n) for n in found])

    async def GetCreditNote(
        self, request: pb.GetCreditNoteRequest, context: Context
    ) -> pb.GetCreditNoteResponse:
        note = await self.credits.get(request.credit_note_id)
        return pb.GetCreditNoteResponse(credit_note=credit_note_to_proto(note))

    async def GetCustomerBalance(
        self, request: pb.GetCustomerBalanceRequest, context: Context
    ) -> pb.GetCustomerBalanceResponse:
        balances = await self.customers.balances(request.customer_id)
        credits = await self.customers.credits(request.customer_id)
        return pb.GetCustomerBalanceResponse(
            customer_id=request.customer_id,
            balances=[money_to_proto(m) for m in balances],
            credits=[money_to_proto(m) for m in credits],
        )

    # Receivables --------------------------------------------------------------------------

    async def RecordCustomerPayment(
        self, request: pb.RecordCustomerPaymentRequest, context: Context
    ) -> pb.RecordCustomerPaymentResponse:
        payment = await self.payments.record_for_customer(
            request.customer_id,
            request.amount,
            request.reference,
            request.received_on,
            request.allocations,
        )
        return pb.RecordCustomerPaymentResponse(payment=payment_to_proto(payment))

    async def UnallocatePayment(
        self, request: pb.UnallocatePaymentRequest, context: Context
    ) -> pb.UnallocatePaymentResponse:
        payment = await self.payments.unallocate(
            request.payment_id, request.allocation_id, request.invoice_id
        )
        return pb.UnallocatePaymentResponse(payment=payment_to_proto(payment))

    async def ApplyCustomerCredit(
        self, request: pb.ApplyCustomerCreditRequest, context: Context
    ) -> pb.ApplyCustomerCreditResponse:
        payment = await self.payments.apply_credit(
            request.customer_id, request.invoice_id, request.amount
        )
        return pb.ApplyCustomerCreditResponse(payment=payment_to_proto(payment))

    async def IssueCreditNote(
        self, request: pb.IssueCreditNoteRequest, context: Context
    ) -> pb.IssueCreditNoteResponse:
        note = await self.credits.issue_adjustment(
            request.invoice_id, request.customer_id, request.amount, request.memo
        )
        return pb.IssueCreditNoteResponse(credit_note=credit_note_to_proto(note))

    async def GetArAging(
        self, request: pb.GetArAgingRequest, context: Context
    ) -> pb.GetArAgingResponse:
        as_of, lines, totals = aging_parts(
            *await self.reports.receivables(request.as_of, request.customer_id)
        )
        return pb.GetArAgingResponse(as_of=as_of, customers=lines, totals=totals)

    async def GetRevenueReport(
        self, request: pb.GetRevenueReportRequest, context: Context
    ) -> pb.GetRevenueReportResponse:
        rows, totals = await self.reports.revenue(
            request.from_date, request.to_date, request.group_by
        )
        return pb.GetRevenueReportResponse(
            rows=[revenue_row_to_proto(r) for r in rows],
            totals=[revenue_row_to_proto(r) for r in totals],
        )

    async def RenderInvoice(
        self, request: pb.RenderInvoiceRequest, context: Context
    ) -> pb.RenderDocumentResponse:
        invoice = await self.invoicing.get(request.invoice_id)
        name = await self.customers.name(invoice.customer_id)
        return pb.RenderDocumentResponse(
            pdf=render_invoice(invoice, name), filename=f"invoice-{invoice.number}.pdf"
        )

    async def RenderCreditNote(
        self, request: pb.RenderCreditNoteRequest, context: Context
    ) -> pb.RenderDocumentResponse:
        note = await self.credits.get(request.credit_note_id)
        name = await self.customers.name(note.customer_id)
        return pb.RenderDocumentResponse(
            pdf=render_credit_note(note, name), filename=f"credit-note-{note.number}.pdf"
        )

    # Payables -----------------------------------------------------------------------------

    async def RecordBill(
        self, request: pb.RecordBillRequest, context: Context
    ) -> pb.RecordBillResponse:
        bill = await self.payables.record_bill(
            request.purchase_order_id,
            request.supplier_id,
            request.supplier_reference,
            request.currency,
            [LineIn(x.product_id, x.quantity, x.unit_price) for x in request.lines],
        )
        return pb.RecordBillResponse(bill=bill_to_proto(bill))

    async def ReleaseBill(
        self, request: pb.ReleaseBillRequest, context: Context
    ) -> pb.ReleaseBillResponse:
        bill = await self.payables.release_bill(request.bill_id, request.note)
        return pb.ReleaseBillResponse(bill=bill_to_proto(bill))

    async def GetBill(self, request: pb.GetBillRequest, context: Context) -> pb.GetBillResponse:
        return pb.GetBillResponse(bill=bill_to_proto(await self.payables.get(request.bill_id)))

    async def ListBills(
        self, request: pb.ListBillsRequest, context: Context
    ) -> pb.ListBillsResponse:
        found = await self.payables.find(
            request.purchase_order_id, request.supplier_id, request.status
        )
        return pb.ListBillsResponse(bills=[bill_to_proto(b) for b in found])

    async def RecordSupplierPayment(
        self, request: pb.RecordSupplierPaymentRequest, context: Context
    ) -> pb.RecordSupplierPaymentResponse:
        payment = await self.payables.record_payment(
            request.supplier_id,
            request.amount,
            request.reference,
            request.paid_on,
            request.allocations,
        )
        return pb.RecordSupplierPaymentResponse(payment=supplier_payment_to_proto(payment))

    async def ListSupplierPayments(
        self, request: pb.ListSupplierPaymentsRequest, context: Context
    ) -> pb.ListSupplierPaymentsResponse:
        found = await self.payables.payments(request.supplier_id, request.bill_id)
        return pb.ListSupplierPaymentsResponse(
            payments=[supplier_payment_to_proto(p) for p in found]
        )

    async def GetApAging(
        self, request: pb.GetApAgingRequest, context: Context
    ) -> pb.GetApAgingResponse:
        as_of, lines, totals = aging_parts(
            *await self.reports.payables(request.as_of, request.supplier_id)
        )
        return pb.GetApAgingResponse(as_of=as_of, suppliers=lines, totals=totals)
