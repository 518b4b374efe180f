"""billing.v1.BillingService: protobuf in, use cases, protobuf out."""

from __future__ import annotations

from typing import TypeAlias

import grpc

from billing.application.accounts import Customers
from billing.application.credits import CreditNote, Credits
from billing.application.invoicing import Invoice, Invoicing
from billing.application.payments import Payment, Payments
from oms.billing.v1 import billing_pb2 as pb
from oms.billing.v1 import billing_pb2_grpc
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
    )


class BillingServicer(billing_pb2_grpc.BillingServiceServicer):
    def __init__(
        self, invoicing: Invoicing, payments: Payments, credits: Credits, customers: Customers
    ) -> None:
        self.invoicing = invoicing
        self.payments = payments
        self.credits = credits
        self.customers = customers

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
        return pb.GetCustomerBalanceResponse(
            customer_id=request.customer_id, balances=[money_to_proto(m) for m in balances]
        )
