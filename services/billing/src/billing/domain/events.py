"""What billing announces, one frozen dataclass per fact, named in the past tense. Plain Python:
the transitions that cause them return them, and `adapters.events` writes each on the outbox as
its protobuf message (oms.events.v1.billing)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from pricing.money import Money


@dataclass(frozen=True)
class InvoiceIssued:
    """An invoice was issued: for a shipment, for a whole order made from a quote, or for a
    quote accepted for invoicing straight away."""

    invoice_id: str
    number: str
    order_id: str
    shipment_id: str
    customer_id: str
    total: Money
    covers_order: bool
    quote_id: str
    # the sales order's channel, so a consumer that cares for one skips the others unread
    channel: str = ""


@dataclass(frozen=True)
class PaymentReceived:
    """Money (or the customer's credit) went onto an invoice; what is left of its balance."""

    payment_id: str
    invoice_id: str
    order_id: str
    customer_id: str
    amount: Money
    invoice_balance: Money


@dataclass(frozen=True)
class InvoicePaid:
    """An invoice's balance reached zero with money paid on it."""

    invoice_id: str
    order_id: str
    customer_id: str


@dataclass(frozen=True)
class InvoiceReopened:
    """A payment on a paid invoice was taken back: it is open again, its order no longer paid."""

    invoice_id: str
    order_id: str
    customer_id: str
    payment_id: str
    balance: Money


@dataclass(frozen=True)
class InvoiceOverdue:
    """An invoice passed its due date unpaid (once per invoice)."""

    invoice_id: str
    number: str
    order_id: str
    customer_id: str
    due_date: date
    balance: Money


@dataclass(frozen=True)
class CreditNoteIssued:
    """A credit note was issued: against an invoice, or a free amount for a customer."""

    credit_note_id: str
    number: str
    invoice_id: str
    order_id: str
    customer_id: str
    total: Money
    reason: str
    return_id: str


@dataclass(frozen=True)
class CustomerBalanceChanged:
    """What a customer owes on open invoices in one currency, as of this change."""

    customer_id: str
    open_balance: Money


@dataclass(frozen=True)
class BillRecorded:
    """A supplier's bill was recorded, matched or held (with the reason)."""

    bill_id: str
    purchase_order_id: str
    supplier_id: str
    total: Money
    status: str
    reason: str
    # (product_id, units billed)
    lines: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True)
class BillReleased:
    """Finance let a held bill be paid."""

    bill_id: str
    purchase_order_id: str


@dataclass(frozen=True)
class BillPaid:
    """A payment sent to the supplier settled the bill."""

    bill_id: str
    purchase_order_id: str
    supplier_id: str


@dataclass(frozen=True)
class ExchangeRateSet:
    """Finance set a pair's rate from a day on."""

    base_currency: str
    quote_currency: str
    rate: Decimal
    effective_from: date


@dataclass(frozen=True)
class ReminderSent:
    """A dunning run reminded a customer of overdue invoices at a level."""

    reminder_id: str
    customer_id: str
    level: int
    invoice_ids: tuple[str, ...]


@dataclass(frozen=True)
class CustomerCreditHoldChanged:
    """Billing held a customer's credit for invoices overdue too long, or released it."""

    customer_id: str
    on_hold: bool
    reason: str


DomainEvent = (
    InvoiceIssued
    | PaymentReceived
    | InvoicePaid
    | InvoiceReopened
    | InvoiceOverdue
    | CreditNoteIssued
    | CustomerBalanceChanged
    | BillRecorded
    | BillReleased
    | BillPaid
    | ExchangeRateSet
    | ReminderSent
    | CustomerCreditHoldChanged
)
