"""Billing's domain events as the protobuf messages the outbox publishes (oms.events.v1.billing),
each with the key that keeps its aggregate's events in order on their topic."""

from __future__ import annotations

from functools import singledispatch

from google.protobuf.message import Message

from billing.domain import events as domain
from billing.domain.exchange import rate_text
from oms.events.v1 import billing_pb2 as pb
from pricing.wire import money_to_proto


@singledispatch
def to_message(event: object) -> tuple[Message, str]:
    """The event's message and its key."""
    raise TypeError(f"billing publishes no {type(event).__name__}")


@to_message.register
def _(event: domain.InvoiceIssued) -> tuple[Message, str]:
    message = pb.InvoiceIssued(
        invoice_id=event.invoice_id,
        number=event.number,
        order_id=event.order_id,
        shipment_id=event.shipment_id,
        customer_id=event.customer_id,
        total=money_to_proto(event.total),
        covers_order=event.covers_order,
        quote_id=event.quote_id,
        channel=event.channel,
    )
    return message, event.order_id or event.quote_id or event.invoice_id


@to_message.register
def _(event: domain.PaymentReceived) -> tuple[Message, str]:
    message = pb.PaymentReceived(
        payment_id=event.payment_id,
        invoice_id=event.invoice_id,
        order_id=event.order_id,
        customer_id=event.customer_id,
        amount=money_to_proto(event.amount),
        invoice_balance=money_to_proto(event.invoice_balance),
    )
    return message, event.order_id or event.invoice_id


@to_message.register
def _(event: domain.InvoicePaid) -> tuple[Message, str]:
    message = pb.InvoicePaid(
        invoice_id=event.invoice_id, order_id=event.order_id, customer_id=event.customer_id
    )
    return message, event.order_id or event.invoice_id


@to_message.register
def _(event: domain.InvoiceReopened) -> tuple[Message, str]:
    message = pb.InvoiceReopened(
        invoice_id=event.invoice_id,
        order_id=event.order_id,
        customer_id=event.customer_id,
        payment_id=event.payment_id,
        balance=money_to_proto(event.balance),
    )
    return message, event.order_id or event.invoice_id


@to_message.register
def _(event: domain.InvoiceOverdue) -> tuple[Message, str]:
    message = pb.InvoiceOverdue(
        invoice_id=event.invoice_id,
        number=event.number,
        order_id=event.order_id,
        customer_id=event.customer_id,
        due_date=event.due_date.isoformat(),
        balance=money_to_proto(event.balance),
    )
    return message, event.customer_id


@to_message.register
def _(event: domain.CreditNoteIssued) -> tuple[Message, str]:
    message = pb.CreditNoteIssued(
        credit_note_id=event.credit_note_id,
        number=event.number,
        invoice_id=event.invoice_id,
        order_id=event.order_id,
        customer_id=event.customer_id,
        total=money_to_proto(event.total),
        reason=event.reason,
        return_id=event.return_id,
    )
    return message, event.order_id or event.invoice_id or event.customer_id


@to_message.register
def _(event: domain.CustomerBalanceChanged) -> tuple[Message, str]:
    message = pb.CustomerBalanceChanged(
        customer_id=event.customer_id, open_balance=money_to_proto(event.open_balance)
    )
    return message, event.customer_id


@to_message.register
def _(event: domain.BillRecorded) -> tuple[Message, str]:
    message = pb.BillRecorded(
        bill_id=event.bill_id,
        purchase_order_id=event.purchase_order_id,
        supplier_id=event.supplier_id,
        total=money_to_proto(event.total),
        status=event.status,
        reason=event.reason,
        lines=[pb.BilledUnits(product_id=p, quantity=q) for p, q in event.lines],
    )
    return message, event.purchase_order_id


@to_message.register
def _(event: domain.BillReleased) -> tuple[Message, str]:
    message = pb.BillReleased(bill_id=event.bill_id, purchase_order_id=event.purchase_order_id)
    return message, event.purchase_order_id


@to_message.register
def _(event: domain.BillPaid) -> tuple[Message, str]:
    message = pb.BillPaid(
        bill_id=event.bill_id,
        purchase_order_id=event.purchase_order_id,
        supplier_id=event.supplier_id,
    )
    return message, event.purchase_order_id


@to_message.register
def _(event: domain.ExchangeRateSet) -> tuple[Message, str]:
    message = pb.ExchangeRateSet(
        base_currency=event.base_currency,
        quote_currency=event.quote_currency,
        rate=rate_text(event.rate),
        effective_from=event.effective_from.isoformat(),
    )
    return message, f"{event.base_currency}/{event.quote_currency}"


@to_message.register
def _(event: domain.ReminderSent) -> tuple[Message, str]:
    message = pb.ReminderSent(
        reminder_id=event.reminder_id,
        customer_id=event.customer_id,
        level=event.level,
        invoice_ids=list(event.invoice_ids),
    )
    return message, event.customer_id


@to_message.register
def _(event: domain.CustomerCreditHoldChanged) -> tuple[Message, str]:
    message = pb.CustomerCreditHoldChanged(
        customer_id=event.customer_id, on_hold=event.on_hold, reason=event.reason
    )
    return message, event.customer_id
