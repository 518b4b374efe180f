"""Billing's requests (oms.billing.v1) as the use cases' commands: fields as sent (the use cases
check them, by field), and a retry's request id with the fingerprint of its content."""

from __future__ import annotations

from google.protobuf.message import Message

from billing.application.commands.apply_customer_credit import ApplyCustomerCredit
from billing.application.commands.apply_supplier_advance import ApplySupplierAdvance
from billing.application.commands.issue_credit_note import IssueCreditNote
from billing.application.commands.record_bill import RecordBill
from billing.application.commands.record_customer_payment import (
    AllocationAsked,
    RecordCustomerPayment,
)
from billing.application.commands.record_payment import RecordPayment
from billing.application.commands.record_supplier_payment import BillShare, RecordSupplierPayment
from billing.application.commands.unallocate_payment import UnallocatePayment
from billing.application.fields import Amount
from billing.application.refunded_lines import RefundedLine, RefundedTax
from billing.application.retries import Retry
from billing.domain.payables import LineIn
from oms.billing.v1 import billing_pb2 as pb
from oms.types.v1 import types_pb2
from servicekit.idempotency import fingerprint


def amount(money: types_pb2.Money) -> Amount:
    return Amount(money.amount, money.currency)


def retry(request: Message) -> Retry:
    return Retry(str(getattr(request, "request_id", "")), fingerprint(request))


def record_payment(request: pb.RecordPaymentRequest) -> RecordPayment:
    return RecordPayment(
        request.invoice_id,
        amount(request.amount),
        request.reference,
        request.received_on,
        retry(request),
    )


def record_customer_payment(request: pb.RecordCustomerPaymentRequest) -> RecordCustomerPayment:
    return RecordCustomerPayment(
        request.customer_id,
        amount(request.amount),
        request.reference,
        request.received_on,
        tuple(AllocationAsked(a.invoice_id, amount(a.amount)) for a in request.allocations),
        request.invoice_id,
        Retry(request.request_id, fingerprint(_as_first_sent(request))),
    )


def _as_first_sent(request: pb.RecordCustomerPaymentRequest) -> Message:
    """A payment for one invoice as the gateway sent it before this RPC took `invoice_id`
    (RecordPayment, or a customer payment with one allocation), so retries and payment
    references recorded then still match."""
    if not request.invoice_id or request.allocations:
        return request
    if not request.customer_id:
        return pb.RecordPaymentRequest(
            invoice_id=request.invoice_id,
            amount=request.amount,
            reference=request.reference,
            received_on=request.received_on,
            request_id=request.request_id,
        )
    return pb.RecordCustomerPaymentRequest(
        customer_id=request.customer_id,
        amount=request.amount,
        reference=request.reference,
        received_on=request.received_on,
        allocations=[pb.AllocationRequest(invoice_id=request.invoice_id, amount=request.amount)],
        request_id=request.request_id,
    )


def unallocate_payment(request: pb.UnallocatePaymentRequest) -> UnallocatePayment:
    return UnallocatePayment(
        request.payment_id, request.allocation_id, request.invoice_id, retry(request)
    )


def apply_customer_credit(request: pb.ApplyCustomerCreditRequest) -> ApplyCustomerCredit:
    return ApplyCustomerCredit(
        request.customer_id, request.invoice_id, amount(request.amount), retry(request)
    )


def issue_credit_note(request: pb.IssueCreditNoteRequest) -> IssueCreditNote:
    return IssueCreditNote(
        amount(request.amount),
        request.memo,
        request.invoice_id,
        request.customer_id,
        retry(request),
        tuple(_refunded(line) for line in request.lines),
        request.order_id,
        request.paid_back,
    )


def _refunded(line: pb.CreditNoteLine) -> RefundedLine:
    return RefundedLine(
        line.order_line_id,
        line.product_id,
        line.sku,
        line.quantity,
        amount(line.unit_price),
        amount(line.line_total),
        tuple(RefundedTax(t.code, t.rate, amount(t.amount)) for t in line.taxes),
    )


def record_bill(request: pb.RecordBillRequest) -> RecordBill:
    return RecordBill(
        request.purchase_order_id,
        request.supplier_id,
        request.supplier_reference,
        request.currency,
        tuple(LineIn(x.product_id, x.quantity, x.unit_price) for x in request.lines),
        retry(request),
    )


def apply_supplier_advance(request: pb.ApplySupplierAdvanceRequest) -> ApplySupplierAdvance:
    return ApplySupplierAdvance(
        request.payment_id, request.bill_id, amount(request.amount), retry(request)
    )


def record_supplier_payment(request: pb.RecordSupplierPaymentRequest) -> RecordSupplierPayment:
    return RecordSupplierPayment(
        request.supplier_id,
        amount(request.amount),
        request.reference,
        request.paid_on,
        tuple(BillShare(a.bill_id, amount(a.amount)) for a in request.allocations),
        retry(request),
    )
