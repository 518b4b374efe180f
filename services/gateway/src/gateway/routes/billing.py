"""/invoices, /payments, /credit-notes, /customers/{id}/balance and /credit, /reports/ar-aging,
/reports/ap-aging, /reports/revenue; payables: /bills, /payments-sent"""

from datetime import date
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.exceptions import RequestValidationError

from gateway.auth import require
from gateway.billing_schemas import (
    ApAging,
    ArAging,
    Bill,
    BillIn,
    BillingInvoice,
    BillList,
    CreditApplyIn,
    CreditNote,
    CreditNoteIn,
    CreditNoteList,
    CustomerBalance,
    InvoiceList,
    Payment,
    PaymentIn,
    PaymentList,
    ReleaseIn,
    Revenue,
    SupplierPayment,
    SupplierPaymentIn,
    SupplierPaymentList,
    UnallocateIn,
)
from gateway.routes.quotes import attachment
from gateway.schemas import MoneyIn
from oms.billing.v1 import billing_pb2
from oms.types.v1.types_pb2 import Money

router = APIRouter(tags=["billing"])
FINANCE = require("finance")
FINANCE_READERS = require("finance", "order-desk", "sales")
PAYABLES_READERS = require("finance", "order-desk", "sales", "purchasing")
PDF: dict[int | str, dict[str, Any]] = {
    200: {"content": {"application/pdf": {}}, "description": "the document as a PDF"}
}


def money(body: MoneyIn | None) -> Money | None:
    return None if body is None else Money(amount=body.amount, currency=body.currency)


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


@router.get(
    "/invoices/{invoice_id}/pdf",
    response_class=Response,
    dependencies=[FINANCE_READERS],
    responses=PDF,
)
async def invoice_pdf(invoice_id: str, request: Request) -> Response:
    """The invoice as a printable PDF, every figure as billing stored it."""
    reply = await request.app.state.clients.billing.RenderInvoice(
        billing_pb2.RenderInvoiceRequest(invoice_id=invoice_id)
    )
    return Response(
        reply.pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": attachment(reply.filename or f"{invoice_id}.pdf")},
    )


@router.post("/payments", status_code=201, response_model=Payment, dependencies=[FINANCE])
async def record_payment(body: PaymentIn, request: Request, response: Response) -> Payment:
    """Money received. With `invoice_id` alone: against that invoice (422 on `amount` for more
    than its balance, on `amount.currency` for another currency than the invoice's). With
    `customer_id`: spread over the customer's invoices as `allocations` say (422 on
    `allocations[i].amount` for more than an invoice's open amount), else oldest due first; what
    is left becomes the customer's credit."""
    billing = request.app.state.clients.billing
    amount = Money(amount=body.amount.amount, currency=body.amount.currency)
    if body.invoice_id and body.allocations:
        raise RequestValidationError(
            [
                {
                    "loc": ("body", "invoice_id"),
                    "msg": "name the invoices in allocations, or one invoice_id without them",
                    "type": "value_error",
                }
            ]
        )
    if body.customer_id or body.allocations or not body.invoice_id:
        # A customer's payment; with invoice_id too, all of it for that invoice of theirs.
        allocations = [
            billing_pb2.AllocationRequest(invoice_id=a.invoice_id, amount=money(a.amount))
            for a in body.allocations
        ] or (
            [billing_pb2.AllocationRequest(invoice_id=body.invoice_id, amount=amount)]
            if body.invoice_id
            else []
        )
        reply = await billing.RecordCustomerPayment(
            billing_pb2.RecordCustomerPaymentRequest(
                customer_id=body.customer_id,
                amount=amount,
                reference=body.reference,
                received_on=body.received_on.isoformat(),
                allocations=allocations,
            )
        )
    else:
        reply = await billing.RecordPayment(
            billing_pb2.RecordPaymentRequest(
                invoice_id=body.invoice_id,
                amount=amount,
                reference=body.reference,
                received_on=body.received_on.isoformat(),
            )
        )
    response.headers["Location"] = f"{request.url.path}/{reply.payment.id}"
    return Payment.model_validate(reply.payment)


@router.post("/payments/{payment_id}/unallocate", response_model=Payment, dependencies=[FINANCE])
async def unallocate_payment(
    payment_id: str, request: Request, body: UnallocateIn | None = None
) -> Payment:
    """Takes the payment's allocations (all, or the one named) off their invoices: they reopen
    and the amounts become the customer's credit. 409 for an invoice credited since."""
    body = body or UnallocateIn()
    reply = await request.app.state.clients.billing.UnallocatePayment(
        billing_pb2.UnallocatePaymentRequest(
            payment_id=payment_id, allocation_id=body.allocation_id, invoice_id=body.invoice_id
        )
    )
    return Payment.model_validate(reply.payment)


@router.post(
    "/customers/{customer_id}/credit/apply",
    status_code=201,
    response_model=Payment,
    dependencies=[FINANCE],
)
async def apply_credit(customer_id: str, body: CreditApplyIn, request: Request) -> Payment:
    """Pays an invoice out of the customer's credit (a payment of kind "credit")."""
    reply = await request.app.state.clients.billing.ApplyCustomerCredit(
        billing_pb2.ApplyCustomerCreditRequest(
            customer_id=customer_id, invoice_id=body.invoice_id, amount=money(body.amount)
        )
    )
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


@router.post("/credit-notes", status_code=201, response_model=CreditNote, dependencies=[FINANCE])
async def issue_credit_note(body: CreditNoteIn, request: Request, response: Response) -> CreditNote:
    """A credit note for part of an invoice, or a free amount for a customer (its credit)."""
    reply = await request.app.state.clients.billing.IssueCreditNote(
        billing_pb2.IssueCreditNoteRequest(
            invoice_id=body.invoice_id,
            customer_id=body.customer_id,
            amount=money(body.amount),
            memo=body.memo,
        )
    )
    response.headers["Location"] = f"{request.url.path}/{reply.credit_note.id}"
    return CreditNote.model_validate(reply.credit_note)


@router.get(
    "/credit-notes/{credit_note_id}/pdf",
    response_class=Response,
    dependencies=[FINANCE_READERS],
    responses=PDF,
)
async def credit_note_pdf(credit_note_id: str, request: Request) -> Response:
    reply = await request.app.state.clients.billing.RenderCreditNote(
        billing_pb2.RenderCreditNoteRequest(credit_note_id=credit_note_id)
    )
    return Response(
        reply.pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": attachment(reply.filename or f"{credit_note_id}.pdf")},
    )


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
    """What the customer owes on open invoices and the credit it can still use."""
    reply = await request.app.state.clients.billing.GetCustomerBalance(
        billing_pb2.GetCustomerBalanceRequest(customer_id=customer_id)
    )
    return CustomerBalance.model_validate(reply)


# Reports -------------------------------------------------------------------------------------


@router.get("/reports/ar-aging", response_model=ArAging, dependencies=[FINANCE_READERS])
async def ar_aging(request: Request, as_of: date | None = None, customer_id: str = "") -> ArAging:
    """Open invoice balances by days past due (current, 1-30, 31-60, 61-90, over 90) as of a
    day (today by default), per customer and currency, and totals; credit beside them."""
    reply = await request.app.state.clients.billing.GetArAging(
        billing_pb2.GetArAgingRequest(
            as_of=as_of.isoformat() if as_of else "", customer_id=customer_id
        )
    )
    return ArAging.model_validate(reply)


@router.get("/reports/ap-aging", response_model=ApAging, dependencies=[PAYABLES_READERS])
async def ap_aging(request: Request, as_of: date | None = None, supplier_id: str = "") -> ApAging:
    """Unpaid bills by days past due as of a day, per supplier and currency, and totals."""
    reply = await request.app.state.clients.billing.GetApAging(
        billing_pb2.GetApAgingRequest(
            as_of=as_of.isoformat() if as_of else "", supplier_id=supplier_id
        )
    )
    return ApAging.model_validate(reply)


@router.get("/reports/revenue", response_model=Revenue, dependencies=[FINANCE_READERS])
async def revenue(
    request: Request,
    from_date: date | None = None,
    to_date: date | None = None,
    group_by: str = "",
) -> Revenue:
    """Invoiced less credited per month (UTC), by channel with `group_by=channel`."""
    reply = await request.app.state.clients.billing.GetRevenueReport(
        billing_pb2.GetRevenueReportRequest(
            from_date=from_date.isoformat() if from_date else "",
            to_date=to_date.isoformat() if to_date else "",
            group_by=group_by,
        )
    )
    return Revenue.model_validate(reply)


# Payables ------------------------------------------------------------------------------------


@router.post("/bills", status_code=201, response_model=Bill, dependencies=[FINANCE])
async def record_bill(body: BillIn, request: Request, response: Response) -> Bill:
    """A supplier's bill, matched three ways against its purchase order and the goods received:
    "matched" or "held" with the reason per line. 422 on `currency` for another currency than
    the order's, on `lines[i].quantity` for more than was received."""
    reply = await request.app.state.clients.billing.RecordBill(
        billing_pb2.RecordBillRequest(
            purchase_order_id=body.purchase_order_id,
            supplier_id=body.supplier_id,
            supplier_reference=body.supplier_reference,
            currency=body.currency,
            lines=[
                billing_pb2.BillLineRequest(
                    product_id=x.product_id, quantity=x.quantity, unit_price=x.unit_price
                )
                for x in body.lines
            ],
        )
    )
    response.headers["Location"] = f"{request.url.path}/{reply.bill.id}"
    return Bill.model_validate(reply.bill)


@router.get("/bills", response_model=BillList, dependencies=[PAYABLES_READERS])
async def list_bills(
    request: Request, purchase_order_id: str = "", supplier_id: str = "", status: str = ""
) -> BillList:
    reply = await request.app.state.clients.billing.ListBills(
        billing_pb2.ListBillsRequest(
            purchase_order_id=purchase_order_id, supplier_id=supplier_id, status=status
        )
    )
    return BillList(items=[Bill.model_validate(b) for b in reply.bills])


@router.get("/bills/{bill_id}", response_model=Bill, dependencies=[PAYABLES_READERS])
async def get_bill(bill_id: str, request: Request) -> Bill:
    reply = await request.app.state.clients.billing.GetBill(
        billing_pb2.GetBillRequest(bill_id=bill_id)
    )
    return Bill.model_validate(reply.bill)


@router.post("/bills/{bill_id}/release", response_model=Bill, dependencies=[FINANCE])
async def release_bill(bill_id: str, request: Request, body: ReleaseIn | None = None) -> Bill:
    """A held bill becomes payable. 409 when it is not held."""
    reply = await request.app.state.clients.billing.ReleaseBill(
        billing_pb2.ReleaseBillRequest(bill_id=bill_id, note=(body or ReleaseIn()).note)
    )
    return Bill.model_validate(reply.bill)


@router.post(
    "/payments-sent", status_code=201, response_model=SupplierPayment, dependencies=[FINANCE]
)
async def record_supplier_payment(
    body: SupplierPaymentIn, request: Request, response: Response
) -> SupplierPayment:
    """Money sent to a supplier, allocated to its payable bills as `allocations` say (else
    oldest due first); held bills cannot be paid; the rest is an advance."""
    reply = await request.app.state.clients.billing.RecordSupplierPayment(
        billing_pb2.RecordSupplierPaymentRequest(
            supplier_id=body.supplier_id,
            amount=money(body.amount),
            reference=body.reference,
            paid_on=body.paid_on.isoformat(),
            allocations=[
                billing_pb2.BillAllocationRequest(bill_id=a.bill_id, amount=money(a.amount))
                for a in body.allocations
            ],
        )
    )
    response.headers["Location"] = f"{request.url.path}/{reply.payment.id}"
    return SupplierPayment.model_validate(reply.payment)


@router.get("/payments-sent", response_model=SupplierPaymentList, dependencies=[PAYABLES_READERS])
async def supplier_payments(
    request: Request, supplier_id: str = "", bill_id: str = ""
) -> SupplierPaymentList:
    reply = await request.app.state.clients.billing.ListSupplierPayments(
        billing_pb2.ListSupplierPaymentsRequest(supplier_id=supplier_id, bill_id=bill_id)
    )
    return SupplierPaymentList(items=[SupplierPayment.model_validate(p) for p in reply.payments])
