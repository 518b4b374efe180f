"""oms.billing.v1.BillingService: each RPC maps its request to a use case's command or query and
the result back, nothing more. Who may call what is `entrypoints/access.py`."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeAlias

import grpc

from billing.adapters.dunning_printing import ReminderPdfPrinter
from billing.application.commands.apply_customer_credit import apply_customer_credit
from billing.application.commands.apply_supplier_advance import apply_supplier_advance
from billing.application.commands.issue_credit_note import issue_adjustment
from billing.application.commands.record_bill import BillPolicy, record_bill
from billing.application.commands.record_customer_payment import record_customer_payment
from billing.application.commands.record_payment import record_payment
from billing.application.commands.record_supplier_payment import record_supplier_payment
from billing.application.commands.release_bill import ReleaseBill, release_bill
from billing.application.commands.set_exchange_rate import SetExchangeRate, set_exchange_rate
from billing.application.commands.unallocate_payment import unallocate_payment
from billing.application.ports import Printer, UnitOfWork
from billing.application.queries import (
    aging,
    bills,
    credit_notes,
    documents,
    exchange_rates,
    invoices,
    payments,
    revenue,
    supplier_payments,
)
from billing.application.queries.customer_balance import customer_balance
from billing.domain.dunning import DunningPolicy
from billing.domain.taxes import Seller
from billing.entrypoints import requests
from billing.entrypoints.grpc_dunning import DunningRpcs
from billing.entrypoints.messages import (
    aging_parts,
    bill_to_proto,
    credit_note_to_proto,
    exchange_rate_to_proto,
    invoice_to_proto,
    payment_to_proto,
    revenue_row_to_proto,
    shown,
    supplier_payment_to_proto,
)
from oms.billing.v1 import billing_pb2 as pb
from oms.billing.v1 import billing_pb2_grpc

Context: TypeAlias = grpc.aio.ServicerContext


class BillingServicer(DunningRpcs, billing_pb2_grpc.BillingServiceServicer):
    def __init__(
        self,
        new_uow: Callable[[], UnitOfWork],
        printer: Printer,
        bill_policy: BillPolicy,
        *,
        reporting_currency: str = "EUR",
        dunning_policy: DunningPolicy | None = None,
        seller: Seller | None = None,
    ) -> None:
        self.uow = new_uow
        # The seller's legal data every invoice and credit note states.
        self.seller = seller or Seller()
        self.printer = printer
        self.bill_policy = bill_policy
        self.reporting_currency = reporting_currency
        self.dunning_policy = dunning_policy or DunningPolicy()
        self.reminder_printer = ReminderPdfPrinter()

    # Invoices, payments, credit notes, balances ---------------------------------------------

    async def GetInvoice(
        self, request: pb.GetInvoiceRequest, context: Context
    ) -> pb.GetInvoiceResponse:
        found = await invoices.get_invoice(self.uow(), request.invoice_id)
        return pb.GetInvoiceResponse(invoice=invoice_to_proto(found, self.seller))

    async def ListInvoices(
        self, request: pb.ListInvoicesRequest, context: Context
    ) -> pb.ListInvoicesResponse:
        found, token = await invoices.list_invoices(
            self.uow(), request.order_id, request.page_size, request.page_token
        )
        return pb.ListInvoicesResponse(
            invoices=[invoice_to_proto(i, self.seller) for i in found], next_page_token=token
        )

    async def RecordPayment(
        self, request: pb.RecordPaymentRequest, context: Context
    ) -> pb.RecordPaymentResponse:
        payment = await record_payment(self.uow(), requests.record_payment(request))
        return pb.RecordPaymentResponse(payment=payment_to_proto(payment))

    async def ListPayments(
        self, request: pb.ListPaymentsRequest, context: Context
    ) -> pb.ListPaymentsResponse:
        found, token = await payments.list_payments(
            self.uow(),
            request.invoice_id,
            request.customer_id,
            request.page_size,
            request.page_token,
        )
        return pb.ListPaymentsResponse(
            payments=[payment_to_proto(p) for p in found], next_page_token=token
        )

    async def GetPayment(
        self, request: pb.GetPaymentRequest, context: Context
    ) -> pb.GetPaymentResponse:
        found = await payments.get_payment(self.uow(), request.payment_id)
        return pb.GetPaymentResponse(payment=payment_to_proto(found))

    async def ListCreditNotes(
        self, request: pb.ListCreditNotesRequest, context: Context
    ) -> pb.ListCreditNotesResponse:
        found, token = await credit_notes.list_credit_notes(
            self.uow(), request.order_id, request.customer_id, request.page_size, request.page_token
        )
        return pb.ListCreditNotesResponse(
            credit_notes=[credit_note_to_proto(n, self.seller) for n in found],
            next_page_token=token,
        )

    async def GetCreditNote(
        self, request: pb.GetCreditNoteRequest, context: Context
    ) -> pb.GetCreditNoteResponse:
        note = await credit_notes.get_credit_note(self.uow(), request.credit_note_id)
        return pb.GetCreditNoteResponse(credit_note=credit_note_to_proto(note, self.seller))

    async def GetCustomerBalance(
        self, request: pb.GetCustomerBalanceRequest, context: Context
    ) -> pb.GetCustomerBalanceResponse:
        balances, credits = await customer_balance(self.uow(), request.customer_id)
        return pb.GetCustomerBalanceResponse(
            customer_id=request.customer_id,
            balances=[shown(m) for m in balances],
            credits=[shown(m) for m in credits],
        )

    # Receivables ------------------------------------------------------------------------------

    async def RecordCustomerPayment(
        self, request: pb.RecordCustomerPaymentRequest, context: Context
    ) -> pb.RecordCustomerPaymentResponse:
        command = requests.record_customer_payment(request)
        payment = await record_customer_payment(self.uow(), command)
        return pb.RecordCustomerPaymentResponse(payment=payment_to_proto(payment))

    async def UnallocatePayment(
        self, request: pb.UnallocatePaymentRequest, context: Context
    ) -> pb.UnallocatePaymentResponse:
        payment = await unallocate_payment(self.uow(), requests.unallocate_payment(request))
        return pb.UnallocatePaymentResponse(payment=payment_to_proto(payment))

    async def ApplyCustomerCredit(
        self, request: pb.ApplyCustomerCreditRequest, context: Context
    ) -> pb.ApplyCustomerCreditResponse:
        payment = await apply_customer_credit(self.uow(), requests.apply_customer_credit(request))
        return pb.ApplyCustomerCreditResponse(payment=payment_to_proto(payment))

    async def IssueCreditNote(
        self, request: pb.IssueCreditNoteRequest, context: Context
    ) -> pb.IssueCreditNoteResponse:
        note = await issue_adjustment(self.uow(), requests.issue_credit_note(request))
        return pb.IssueCreditNoteResponse(credit_note=credit_note_to_proto(note, self.seller))

    async def GetArAging(
        self, request: pb.GetArAgingRequest, context: Context
    ) -> pb.GetArAgingResponse:
        day, found = await aging.ar_aging(self.uow(), request.as_of, request.customer_id)
        as_of, lines, totals = aging_parts(day, found)
        return pb.GetArAgingResponse(
            as_of=as_of,
            customers=lines,
            totals=totals,
            reporting_total=await self.aging_total(day, found.totals),
        )

    async def GetRevenueReport(
        self, request: pb.GetRevenueReportRequest, context: Context
    ) -> pb.GetRevenueReportResponse:
        rows, totals = await revenue.revenue_report(
            self.uow(), request.from_date, request.to_date, request.group_by
        )
        return pb.GetRevenueReportResponse(
            rows=[revenue_row_to_proto(r) for r in rows],
            totals=[revenue_row_to_proto(r) for r in totals],
            reporting_total=await self.revenue_total(request.to_date, totals),
        )

    async def RenderInvoice(
        self, request: pb.RenderInvoiceRequest, context: Context
    ) -> pb.RenderDocumentResponse:
        pdf, filename = await documents.render_invoice(self.uow(), self.printer, request.invoice_id)
        return pb.RenderDocumentResponse(pdf=pdf, filename=filename)

    async def RenderCreditNote(
        self, request: pb.RenderCreditNoteRequest, context: Context
    ) -> pb.RenderDocumentResponse:
        pdf, filename = await documents.render_credit_note(
            self.uow(), self.printer, request.credit_note_id
        )
        return pb.RenderDocumentResponse(pdf=pdf, filename=filename)

    # Payables ---------------------------------------------------------------------------------

    async def RecordBill(
        self, request: pb.RecordBillRequest, context: Context
    ) -> pb.RecordBillResponse:
        bill = await record_bill(self.uow(), self.bill_policy, requests.record_bill(request))
        return pb.RecordBillResponse(bill=bill_to_proto(bill))

    async def ReleaseBill(
        self, request: pb.ReleaseBillRequest, context: Context
    ) -> pb.ReleaseBillResponse:
        bill = await release_bill(self.uow(), ReleaseBill(request.bill_id, request.note))
        return pb.ReleaseBillResponse(bill=bill_to_proto(bill))

    async def GetBill(self, request: pb.GetBillRequest, context: Context) -> pb.GetBillResponse:
        return pb.GetBillResponse(
            bill=bill_to_proto(await bills.get_bill(self.uow(), request.bill_id))
        )

    async def ListBills(
        self, request: pb.ListBillsRequest, context: Context
    ) -> pb.ListBillsResponse:
        found, token = await bills.list_bills(
            self.uow(),
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
        command = requests.record_supplier_payment(request)
        payment = await record_supplier_payment(self.uow(), command)
        return pb.RecordSupplierPaymentResponse(payment=supplier_payment_to_proto(payment))

    async def ApplySupplierAdvance(
        self, request: pb.ApplySupplierAdvanceRequest, context: Context
    ) -> pb.ApplySupplierAdvanceResponse:
        command = requests.apply_supplier_advance(request)
        payment = await apply_supplier_advance(self.uow(), command)
        return pb.ApplySupplierAdvanceResponse(payment=supplier_payment_to_proto(payment))

    async def ListSupplierPayments(
        self, request: pb.ListSupplierPaymentsRequest, context: Context
    ) -> pb.ListSupplierPaymentsResponse:
        found, token = await supplier_payments.list_supplier_payments(
            self.uow(), request.supplier_id, request.bill_id, request.page_size, request.page_token
        )
        return pb.ListSupplierPaymentsResponse(
            payments=[supplier_payment_to_proto(p) for p in found], next_page_token=token
        )

    async def GetApAging(
        self, request: pb.GetApAgingRequest, context: Context
    ) -> pb.GetApAgingResponse:
        day, found = await aging.ap_aging(self.uow(), request.as_of, request.supplier_id)
        as_of, lines, totals = aging_parts(day, found)
        return pb.GetApAgingResponse(
            as_of=as_of,
            suppliers=lines,
            totals=totals,
            reporting_total=await self.aging_total(day, found.totals),
        )

    # Exchange rates ---------------------------------------------------------------------------

    async def SetExchangeRate(
        self, request: pb.SetExchangeRateRequest, context: Context
    ) -> pb.SetExchangeRateResponse:
        command = SetExchangeRate(
            request.base_currency, request.quote_currency, request.rate, request.effective_from
        )
        rate = await set_exchange_rate(self.uow(), command)
        return pb.SetExchangeRateResponse(rate=exchange_rate_to_proto(rate))

    async def ListExchangeRates(
        self, request: pb.ListExchangeRatesRequest, context: Context
    ) -> pb.ListExchangeRatesResponse:
        found, token = await exchange_rates.list_exchange_rates(
            self.uow(),
            request.base_currency,
            request.quote_currency,
            request.page_size,
            request.page_token,
        )
        return pb.ListExchangeRatesResponse(
            rates=[exchange_rate_to_proto(r) for r in found], next_page_token=token
        )
