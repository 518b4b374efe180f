"""/invoices, /payments, /credit-notes, /customers/{id}/balance and /credit, /reports/ar-aging,
/reports/revenue: what customers owe. Billing decides again who may do what, and how a payment
is applied; POSTs that move money pass the Idempotency-Key on as the command's request_id."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from gateway.billing.schemas import (
    ArAging,
    BillingInvoice,
    CreditApplyIn,
    CreditNote,
    CreditNoteIn,
    CreditNoteList,
    CustomerBalance,
    InvoiceList,
    Payment,
    PaymentIn,
    PaymentList,
    Revenue,
    UnallocateIn,
)
from gateway.bodies import IdPath, IdQuery, PageSize, PageToken
from gateway.downloads import pdf, pdf_responses
from gateway.edge.auth import require
from gateway.edge.idempotency import request_id
from gateway.edge.openapi import located, problems
from oms.billing.v1 import billing_pb2

router = APIRouter(tags=["billing"])
routers = (router,)
FINANCE = require("finance")
FINANCE_READERS = require("finance", "order-desk", "sales", "sales-manager")
PDF = pdf_responses("the document as a PDF")


@router.get(
    "/invoices",
    operation_id="listInvoices",
    summary="List invoices",
    response_model=InvoiceList,
    dependencies=[FINANCE_READERS],
)
async def invoices(
    request: Request,
    order_id: IdQuery = "",
    page_size: PageSize = 50,
    page_token: PageToken = "",
) -> InvoiceList:
    """Invoices, newest first, each with its due date, what was paid and credited and its
    balance; `order_id` narrows to one order's. Finance, the order desk and sales may read
    them."""
    reply = await request.app.state.clients.billing.ListInvoices(
        billing_pb2.ListInvoicesRequest(
            order_id=order_id, page_size=page_size, page_token=page_token
        )
    )
    return InvoiceList(
        items=[BillingInvoice.model_validate(i) for i in reply.invoices],
        next_page_token=reply.next_page_token,
    )


@router.get(
    "/invoices/{invoice_id}",
    operation_id="getInvoice",
    summary="Get an invoice",
    response_model=BillingInvoice,
    dependencies=[FINANCE_READERS],
    responses=problems(404),
)
async def invoice(invoice_id: IdPath, request: Request) -> BillingInvoice:
    """One invoice with its lines, taxes, parties, due date, payments and balance. Finance, the
    order desk and sales may read it; 404 when there is no such invoice."""
    reply = await request.app.state.clients.billing.GetInvoice(
        billing_pb2.GetInvoiceRequest(invoice_id=invoice_id)
    )
    return BillingInvoice.model_validate(reply.invoice)


@router.get(
    "/invoices/{invoice_id}/pdf",
    operation_id="getInvoicePdf",
    summary="Download an invoice as a PDF",
    response_class=Response,
    dependencies=[FINANCE_READERS],
    responses=PDF | problems(404),
)
async def invoice_pdf(invoice_id: IdPath, request: Request) -> Response:
    """The invoice as a printable PDF (an attachment named after its number), every figure as
    billing stored it. Finance, the order desk and sales may download it; 404 when there is no
    such invoice."""
    reply = await request.app.state.clients.billing.RenderInvoice(
        billing_pb2.RenderInvoiceRequest(invoice_id=invoice_id)
    )
    return pdf(reply.pdf, reply.filename or f"{invoice_id}.pdf")


@router.post(
    "/payments",
    operation_id="recordCustomerPayment",
    summary="Record a customer's payment",
    status_code=201,
    response_model=Payment,
    dependencies=[FINANCE],
    responses=located("getPayment", "payment_id", "The payment recorded.") | problems(409),
)
async def record_payment(body: PaymentIn, request: Request, response: Response) -> Payment:
    """Money received. With `invoice_id` alone: against that invoice (422 on `amount` for more
    than its balance, on `amount.currency` for another currency than the invoice's). With
    `customer_id`: spread over the customer's invoices as `allocations` say (422 on
    `allocations[i].amount` for more than an invoice's open amount), else oldest due first; what
    is left becomes the customer's credit (422 on `invoice_id` with `allocations` too). A
    `reference` the customer's payments used already: the same payment again gives the first,
    another one 409; 422 on `invoice_id` for an invoice that does not exist. Finance only."""
    reply = await request.app.state.clients.billing.RecordCustomerPayment(
        body.to_proto(request_id(request))
    )
    response.headers["Location"] = f"{request.url.path}/{reply.payment.id}"
    return Payment.model_validate(reply.payment)


@router.post(
    "/payments/{payment_id}/unallocate",
    operation_id="unallocatePayment",
    summary="Take a payment's allocations back",
    response_model=Payment,
    dependencies=[FINANCE],
    responses=problems(404, 409),
)
async def unallocate_payment(
    payment_id: IdPath, request: Request, body: UnallocateIn | None = None
) -> Payment:
    """Takes the payment's allocations (all, or the one named) off their invoices: they reopen
    and the amounts become the customer's credit. Answers the payment as it is now. 409 for an
    invoice credited since, or a payment with nothing allocated; 404 for no such payment.
    Finance only."""
    body = body or UnallocateIn()
    reply = await request.app.state.clients.billing.UnallocatePayment(
        billing_pb2.UnallocatePaymentRequest(
            payment_id=payment_id,
            allocation_id=body.allocation_id,
            invoice_id=body.invoice_id,
            request_id=request_id(request),
        )
    )
    return Payment.model_validate(reply.payment)


@router.post(
    "/customers/{customer_id}/credit/apply",
    operation_id="applyCustomerCredit",
    summary="Pay an invoice from the customer's credit",
    status_code=201,
    response_model=Payment,
    dependencies=[FINANCE],
    responses=problems(404),
)
async def apply_credit(customer_id: IdPath, body: CreditApplyIn, request: Request) -> Payment:
    """Pays an invoice out of the customer's credit: answers the payment of kind "credit" it
    records (as much as the credit and the invoice's balance allow, unless `amount` says less).
    422 on `invoice_id` for an invoice that does not exist. Finance only."""
    reply = await request.app.state.clients.billing.ApplyCustomerCredit(
        billing_pb2.ApplyCustomerCreditRequest(
            customer_id=customer_id,
            invoice_id=body.invoice_id,
            amount=body.amount.to_proto() if body.amount else None,
            request_id=request_id(request),
        )
    )
    return Payment.model_validate(reply.payment)


@router.get(
    "/payments",
    operation_id="listPayments",
    summary="List customers' payments",
    response_model=PaymentList,
    dependencies=[FINANCE_READERS],
)
async def payments(
    request: Request,
    invoice_id: IdQuery = "",
    customer_id: IdQuery = "",
    page_size: PageSize = 50,
    page_token: PageToken = "",
) -> PaymentList:
    """Payments received and credit applied, newest first; `invoice_id` or `customer_id` narrow
    to one invoice's or one customer's. Finance, the order desk and sales may read them."""
    reply = await request.app.state.clients.billing.ListPayments(
        billing_pb2.ListPaymentsRequest(
            invoice_id=invoice_id,
            customer_id=customer_id,
            page_size=page_size,
            page_token=page_token,
        )
    )
    return PaymentList(
        items=[Payment.model_validate(p) for p in reply.payments],
        next_page_token=reply.next_page_token,
    )


@router.get(
    "/payments/{payment_id}",
    operation_id="getPayment",
    summary="Get a customer's payment",
    response_model=Payment,
    dependencies=[FINANCE_READERS],
    responses=problems(404),
)
async def payment(payment_id: IdPath, request: Request) -> Payment:
    """One payment with its allocations to invoices (and those taken back). Finance, the order
    desk and sales may read it; 404 when there is no such payment."""
    reply = await request.app.state.clients.billing.GetPayment(
        billing_pb2.GetPaymentRequest(payment_id=payment_id)
    )
    return Payment.model_validate(reply.payment)


@router.get(
    "/credit-notes",
    operation_id="listCreditNotes",
    summary="List credit notes",
    response_model=CreditNoteList,
    dependencies=[FINANCE_READERS],
)
async def credit_notes(
    request: Request,
    order_id: IdQuery = "",
    customer_id: IdQuery = "",
    page_size: PageSize = 50,
    page_token: PageToken = "",
) -> CreditNoteList:
    """Credit notes, newest first; `order_id` or `customer_id` narrow to one order's or one
    customer's. Finance, the order desk and sales may read them."""
    reply = await request.app.state.clients.billing.ListCreditNotes(
        billing_pb2.ListCreditNotesRequest(
            order_id=order_id, customer_id=customer_id, page_size=page_size, page_token=page_token
        )
    )
    return CreditNoteList(
        items=[CreditNote.model_validate(n) for n in reply.credit_notes],
        next_page_token=reply.next_page_token,
    )


@router.post(
    "/credit-notes",
    operation_id="issueCreditNote",
    summary="Issue a credit note",
    status_code=201,
    response_model=CreditNote,
    dependencies=[FINANCE],
    responses=located("getCreditNote", "credit_note_id", "The credit note issued."),
)
async def issue_credit_note(body: CreditNoteIn, request: Request, response: Response) -> CreditNote:
    """Issues a credit note for part of an invoice (it lowers the invoice's balance; what the
    balance cannot take is owed back), or for a free amount to a customer (it becomes the
    customer's credit). 422 on `invoice_id` for an invoice that does not exist. Finance
    only."""
    reply = await request.app.state.clients.billing.IssueCreditNote(
        billing_pb2.IssueCreditNoteRequest(
            invoice_id=body.invoice_id,
            customer_id=body.customer_id,
            amount=body.amount.to_proto(),
            memo=body.memo,
            request_id=request_id(request),
        )
    )
    response.headers["Location"] = f"{request.url.path}/{reply.credit_note.id}"
    return CreditNote.model_validate(reply.credit_note)


@router.get(
    "/credit-notes/{credit_note_id}/pdf",
    operation_id="getCreditNotePdf",
    summary="Download a credit note as a PDF",
    response_class=Response,
    dependencies=[FINANCE_READERS],
    responses=PDF | problems(404),
)
async def credit_note_pdf(credit_note_id: IdPath, request: Request) -> Response:
    """The credit note as a printable PDF (an attachment named after its number). Finance, the
    order desk and sales may download it; 404 when there is no such credit note."""
    reply = await request.app.state.clients.billing.RenderCreditNote(
        billing_pb2.RenderCreditNoteRequest(credit_note_id=credit_note_id)
    )
    return pdf(reply.pdf, reply.filename or f"{credit_note_id}.pdf")


@router.get(
    "/credit-notes/{credit_note_id}",
    operation_id="getCreditNote",
    summary="Get a credit note",
    response_model=CreditNote,
    dependencies=[FINANCE_READERS],
    responses=problems(404),
)
async def credit_note(credit_note_id: IdPath, request: Request) -> CreditNote:
    """One credit note with its lines and taxes. Finance, the order desk and sales may read it;
    404 when there is no such credit note."""
    reply = await request.app.state.clients.billing.GetCreditNote(
        billing_pb2.GetCreditNoteRequest(credit_note_id=credit_note_id)
    )
    return CreditNote.model_validate(reply.credit_note)


@router.get(
    "/customers/{customer_id}/balance",
    operation_id="getCustomerBalance",
    summary="Get what a customer owes",
    response_model=CustomerBalance,
    dependencies=[FINANCE_READERS],
    responses=problems(404),
)
async def customer_balance(customer_id: IdPath, request: Request) -> CustomerBalance:
    """What the customer owes on open invoices and the credit it can still use, per currency.
    Finance, the order desk and sales may read it."""
    reply = await request.app.state.clients.billing.GetCustomerBalance(
        billing_pb2.GetCustomerBalanceRequest(customer_id=customer_id)
    )
    return CustomerBalance.model_validate(reply)


# Reports -------------------------------------------------------------------------------------


@router.get(
    "/reports/ar-aging",
    operation_id="getArAgingReport",
    summary="Report receivables by age",
    response_model=ArAging,
    dependencies=[FINANCE_READERS],
)
async def ar_aging(
    request: Request, as_of: date | None = None, customer_id: IdQuery = ""
) -> ArAging:
    """Open invoice balances by days past due (current, 1-30, 31-60, 61-90, over 90) as of a
    day (today by default), per customer and currency, and totals; credit beside them; and the
    whole in the reporting currency. `customer_id` narrows to one customer. Finance, the order
    desk and sales may read it."""
    reply = await request.app.state.clients.billing.GetArAging(
        billing_pb2.GetArAgingRequest(
            as_of=as_of.isoformat() if as_of else "", customer_id=customer_id
        )
    )
    return ArAging.model_validate(reply)


@router.get(
    "/reports/revenue",
    operation_id="getRevenueReport",
    summary="Report revenue per month",
    response_model=Revenue,
    dependencies=[FINANCE_READERS],
)
async def revenue(
    request: Request,
    from_date: date | None = None,
    to_date: date | None = None,
    group_by: Annotated[str, Query(max_length=20, description='"channel" or empty')] = "",
) -> Revenue:
    """Invoiced less credited per month (UTC) from `from_date` to `to_date`, with and without
    tax, by channel with `group_by=channel`; totals per currency and in the reporting currency.
    Finance, the order desk and sales may read it."""
    reply = await request.app.state.clients.billing.GetRevenueReport(
        billing_pb2.GetRevenueReportRequest(
            from_date=from_date.isoformat() if from_date else "",
            to_date=to_date.isoformat() if to_date else "",
            group_by=group_by,
        )
    )
    return Revenue.model_validate(reply)
