"""/invoices, /payments, /credit-notes, /customers/{id}/balance"""

from fastapi import APIRouter, Request, Response

from gateway.auth import require
from gateway.billing_schemas import (
    BillingInvoice,
    CreditNote,
    CreditNoteList,
    CustomerBalance,
    InvoiceList,
    Payment,
    PaymentIn,
    PaymentList,
)
from oms.billing.v1 import billing_pb2
from oms.types.v1.types_pb2 import Money

router = APIRouter(tags=["billing"])
FINANCE = require("finance")
FINANCE_READERS = require("finance", "order-desk", "sales")


@router.get("/invoices", response_model=InvoiceList, dependencies=[FINANCE_READERS])
async def invoices(request: Request, order_id: str = "") -> InvoiceList:
    reply = await request.app.state.clients.billing.ListInvoices(
        billing_pb2.ListInvoicesRequest(order_id=order_id)
    )
    return InvoiceList(items=[BillingInvoice.model_validate(i) for i in reply.invoices])


@router.get("/invoices/{invoice_id}", response_model=BillingInvoice, dependencies=[FINANCE_READERS])
async def invoice(invoice_id: str, request: Request) -> BillingInvoice:
    reply = await request.app.state.clients.billing.GetInvoice(
        billing_pb2.GetInvoiceRequest(invoice_id=invoice_id)
    )
    return BillingInvoice.model_validate(reply.invoice)


@router.post("/payments", status_code=201, response_model=Payment, dependencies=[FINANCE])
async def record_payment(body: PaymentIn, request: Request, response: Response) -> Payment:
    """Money received against an invoice. 422 on `amount` for more than its balance, on
    `amount.currency` for another currency than the invoice's."""
    reply = await request.app.state.clients.billing.RecordPayment(
        billing_pb2.RecordPaymentRequest(
            invoice_id=body.invoice_id,
            amount=Money(amount=body.amount.amount, currency=body.amount.currency),
            reference=body.reference,
            received_on=body.received_on.isoformat(),
        )
    )
    response.headers["Location"] = f"{request.url.path}/{reply.payment.id}"
    return Payment.model_validate(reply.payment)


@router.get("/payments", response_model=PaymentList, dependencies=[FINANCE_READERS])
async def payments(request: Request, invoice_id: str = "", customer_id: str = "") -> PaymentList:
    reply = await request.app.state.clients.billing.ListPayments(
        billing_pb2.ListPaymentsRequest(invoice_id=invoice_id, customer_id=customer_id)
    )
    return PaymentList(items=[Payment.model_validate(p) for p in reply.payments])


@router.get("/payments/{payment_id}", response_model=Payment, dependencies=[FINANCE_READERS])
async def payment(payment_id: str, request: Request) -> Payment:
    reply = await request.app.state.clients.billing.GetPayment(
        billing_pb2.GetPaymentRequest(payment_id=payment_id)
    )
    return Payment.model_validate(reply.payment)


@router.get("/credit-notes", response_model=CreditNoteList, dependencies=[FINANCE_READERS])
async def credit_notes(
    request: Request, order_id: str = "", customer_id: str = ""
) -> CreditNoteList:
    reply = await request.app.state.clients.billing.ListCreditNotes(
        billing_pb2.ListCreditNotesRequest(order_id=order_id, customer_id=customer_id)
    )
    return CreditNoteList(items=[CreditNote.model_validate(n) for n in reply.credit_notes])


@router.get(
    "/credit-notes/{credit_note_id}", response_model=CreditNote, dependencies=[FINANCE_READERS]
)
async def credit_note(credit_note_id: str, request: Request) -> CreditNote:
    reply = await request.app.state.clients.billing.GetCreditNote(
        billing_pb2.GetCreditNoteRequest(credit_note_id=credit_note_id)
    )
    return CreditNote.model_validate(reply.credit_note)


@router.get(
    "/customers/{customer_id}/balance",
    response_model=CustomerBalance,
    dependencies=[FINANCE_READERS],
)
async def customer_balance(customer_id: str, request: Request) -> CustomerBalance:
    reply = await request.app.state.clients.billing.GetCustomerBalance(
        billing_pb2.GetCustomerBalanceRequest(customer_id=customer_id)
    )
    return CustomerBalance.model_validate(reply)
