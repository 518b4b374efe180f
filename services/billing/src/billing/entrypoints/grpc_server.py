"""billing.v1.BillingService: protobuf in, use cases, protobuf out. Who may call what is
`entrypoints/access.py`; commands that move money carry their request for safe retries."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeAlias

import grpc

from billing.adapters.pdf import render_credit_note, render_invoice
from billing.application.accounts import Customers
from billing.application.bills import Bills
from billing.application.credit_notes import CreditNotes
from billing.application.customer_credit import CustomerCredit
from billing.application.exchange_rates import ExchangeRates
from billing.application.invoicing import Invoicing
from billing.application.payments import Payments
from billing.application.payments_sent import PaymentsSent
from billing.application.records import Retry
from billing.application.reports import Reports
from billing.domain.payables import LineIn
from billing.entrypoints.wire import (
    aging_parts,
    bill_to_proto,
    credit_note_to_proto,
    exchange_rate_to_proto,
    invoice_to_proto,
    payment_to_proto,
    revenue_row_to_proto,
    supplier_payment_to_proto,
)
from oms.billing.v1 import billing_pb2 as pb
from oms.billing.v1 import billing_pb2_grpc
from pricing.wire import money_to_proto

Context: TypeAlias = grpc.aio.ServicerContext


@dataclass(frozen=True)
class Receivables:
    """The use cases of what customers owe."""

    invoicing: Invoicing
    payments: Payments
    credit: CustomerCredit
    credit_notes: CreditNotes
    customers: Customers


class BillingServicer(billing_pb2_grpc.BillingServiceServicer):
    def __init__(
        self,
        receivables: Receivables,
        bills: Bills,
        payments_sent: PaymentsSent,
        rates: ExchangeRates,
        reports: Reports,
    ) -> None:
        self.invoicing = receivables.invoicing
        self.payments = receivables.payments
        self.credit = receivables.credit
        self.credit_notes = receivables.credit_notes
        self.customers = receivables.customers
        self.bills = bills
        self.payments_sent = payments_sent
        self.rates = rates
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
        found, token = await self.invoicing.page(
            request.order_id, request.page_size, request.page_token
        )
        return pb.ListInvoicesResponse(
            invoices=[invoice_to_proto(i) for i in found], next_page_token=token
        )

    async def RecordPayment(
        self, request: pb.RecordPaymentRequest, context: Context
    ) -> pb.RecordPaymentResponse:
        payment = await self.payments.record(
            request.invoice_id,
            request.amount,
            request.reference,
            request.received_on,
            Retry(request),
        )
        return pb.RecordPaymentResponse(payment=payment_to_proto(payment))

    async def ListPayments(
        self, request: pb.ListPaymentsRequest, context: Context
    ) -> pb.ListPaymentsResponse:
        found, token = await self.payments.page(
            request.invoice_id, request.customer_id, request.page_size, request.page_token
        )
        return pb.ListPaymentsResponse(
            payments=[payment_to_proto(p) for p in found], next_page_token=token
        )

    async def GetPayment(
        self, request: pb.GetPaymentRequest, context: Context
    ) -> pb.GetPaymentResponse:
        return pb.GetPaymentResponse(
            payment=payment_to_proto(await self.payments.get(request.payment_id))
        )

    async def ListCreditNotes(
        self, request: pb.ListCreditNotesRequest, context: Context
    ) -> pb.ListCreditNotesResponse:
        found, token = await self.credit_notes.page(
            request.order_id, request.customer_id, request.page_size, request.page_token
        )
        return pb.ListCreditNotesResponse(
            credit_notes=[credit_note_to_proto(n) for n in found], next_page_token=token
        )

    async def GetCreditNote(
        self, request: pb.GetCreditNoteRequest, context: Context
    ) -> pb.GetCreditNoteResponse:
        note = await self.credit_notes.get(request.credit_note_id)
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
            Retry(request),
        )
        return pb.RecordCustomerPaymentResponse(payment=payment_to_proto(payment))

    async def UnallocatePayment(
        self, request: pb.UnallocatePaymentRequest, context: Context
    ) -> pb.UnallocatePaymentResponse:
        payment = await self.credit.unallocate(
            request.payment_id, request.allocation_id, request.invoice_id, Retry(request)
        )
        return pb.UnallocatePaymentResponse(payment=payment_to_proto(payment))

    async def ApplyCustomerCredit(
        self, request: pb.ApplyCustomerCreditRequest, context: Context
    ) -> pb.ApplyCustomerCreditResponse:
        payment = await self.credit.apply_credit(
            request.customer_id, request.invoice_id, request.amount, Retry(request)
        )
        return pb.ApplyCustomerCreditResponse(payment=payment_to_proto(payment))

    async def IssueCreditNote(
        self, request: pb.IssueCreditNoteRequest, context: Context
    ) -> pb.IssueCreditNoteResponse:
        note = await self.credit_notes.issue_adjustment(
            request.invoice_id, request.customer_id, request.amount, request.memo, Retry(request)
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
        note = await self.credit_notes.get(request.credit_note_id)
        name = await self.customers.name(note.customer_id)
        return pb.RenderDocumentResponse(
            pdf=render_credit_note(note, name), filename=f"credit-note-{note.number}.pdf"
        )

    # Payables -----------------------------------------------------------------------------

    async def RecordBill(
        self, request: pb.RecordBillRequest, context: Context
    ) -> pb.RecordBillResponse:
        bill = await self.bills.record(
            request.purchase_order_id,
            request.supplier_id,
            request.supplier_reference,
            request.currency,
            [LineIn(x.product_id, x.quantity, x.unit_price) for x in request.lines],
            Retry(request),
        )
        return pb.RecordBillResponse(bill=bill_to_proto(bill))

    async def ReleaseBill(
        self, request: pb.ReleaseBillRequest, context: Context
    ) -> pb.ReleaseBillResponse:
        bill = await self.bills.release(request.bill_id, request.note)
        return pb.ReleaseBillResponse(bill=bill_to_proto(bill))

    async def GetBill(self, request: pb.GetBillRequest, context: Context) -> pb.GetBillResponse:
        return pb.GetBillResponse(bill=bill_to_proto(await self.bills.get(request.bill_id)))

    async def ListBills(
        self, request: pb.ListBillsRequest, context: Context
    ) -> pb.ListBillsResponse:
        found, token = await self.bills.page(
            request.purchase_order_id,
            request.supplier_id,
            request.status,
            request.page_size,
            request.page_token,
        )
        return pb.ListBillsResponse(bills=[bill_to_proto(b) for b in found], next_page_token=token)

    async def RecordSupplierPayment(
        self, request: pb.RecordSupplierPaymentRequest, context: Context
    ) -> pb.RecordSupplierPaymentResponse:
        payment = await self.payments_sent.record(
            request.supplier_id,
            request.amount,
            request.reference,
            request.paid_on,
            request.allocations,
            Retry(request),
        )
        return pb.RecordSupplierPaymentResponse(payment=supplier_payment_to_proto(payment))

    async def ListSupplierPayments(
        self, request: pb.ListSupplierPaymentsRequest, context: Context
    ) -> pb.ListSupplierPaymentsResponse:
        found, token = await self.payments_sent.page(
            request.supplier_id, request.bill_id, request.page_size, request.page_token
        )
        return pb.ListSupplierPaymentsResponse(
            payments=[supplier_payment_to_proto(p) for p in found], next_page_token=token
        )

    async def GetApAging(
        self, request: pb.GetApAgingRequest, context: Context
    ) -> pb.GetApAgingResponse:
        as_of, lines, totals = aging_parts(
            *await self.reports.payables(request.as_of, request.supplier_id)
        )
        return pb.GetApAgingResponse(as_of=as_of, suppliers=lines, totals=totals)

    # Exchange rates -----------------------------------------------------------------------

    async def SetExchangeRate(
        self, request: pb.SetExchangeRateRequest, context: Context
    ) -> pb.SetExchangeRateResponse:
        found = await self.rates.set(
            request.base_currency, request.quote_currency, request.rate, request.effective_from
        )
        return pb.SetExchangeRateResponse(rate=exchange_rate_to_proto(found))

    async def ListExchangeRates(
        self, request: pb.ListExchangeRatesRequest, context: Context
    ) -> pb.ListExchangeRatesResponse:
        found, token = await self.rates.page(
            request.base_currency, request.quote_currency, request.page_size, request.page_token
        )
        return pb.ListExchangeRatesResponse(
            rates=[exchange_rate_to_proto(r) for r in found], next_page_token=token
        )
