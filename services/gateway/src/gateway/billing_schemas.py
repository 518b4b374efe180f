"""Bodies of the billing resources: invoices with what remains to pay, payments and their
allocations, customer credit, credit notes, customer balances, ageing and revenue reports, for
payables supplier bills and the payments sent, and the exchange rates finance keeps. Amounts stay
strings (bounded by MoneyIn), checked by billing."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any

from google.protobuf.timestamp_pb2 import Timestamp
from pydantic import BeforeValidator, Field

from gateway.schemas import Count, Id, Invoice, Money, MoneyIn, Request, Response, When

# The id of a billing resource in its path.


def _empty_is_none(value: Any) -> Any:
    return None if value == "" else value


# An ISO date (YYYY-MM-DD) on the wire; empty there means none.
Day = Annotated[date | None, BeforeValidator(_empty_is_none)]


def _unset_is_none(value: Any) -> Any:
    if isinstance(value, Timestamp):
        return None if value.ByteSize() == 0 else value.ToDatetime(tzinfo=UTC)
    return value


# A timestamp that may not have happened (yet): unset on the wire means none.
MaybeWhen = Annotated[datetime | None, BeforeValidator(_unset_is_none)]


class BillingInvoice(Invoice):
    """An invoice with its due date and what was paid and credited on it."""

    due_date: Day = Field(description="issue date plus the customer's payment terms")
    amount_paid: Money
    amount_credited: Money = Field(description="what credit notes took off what was left to pay")
    balance: Money = Field(description="what remains to be paid")


class InvoiceList(Response):
    items: list[BillingInvoice]
    next_page_token: str = Field(description="empty on the last page")


class AllocationIn(Request):
    invoice_id: Id
    amount: MoneyIn = Field(
        description="in the payment's currency, at most the invoice's open amount"
    )


class PaymentIn(Request):
    """Either money against one invoice (`invoice_id`), or a customer's payment (`customer_id`)
    spread over its invoices as `allocations` say -- or oldest due first when there are none --
    the rest becoming the customer's credit."""

    invoice_id: Id = ""
    customer_id: Id = ""
    amount: MoneyIn = Field(description="for one invoice: in its currency, at most its balance")
    reference: str = Field(
        "",
        max_length=200,
        examples=["bank transfer 2026-0042"],
        description="with the customer, names one payment: the same payment sent again is the "
        "first one; another under a reference used already is refused (409)",
    )
    received_on: date = Field(examples=["2026-03-01"])
    allocations: list[AllocationIn] = Field(default_factory=list, max_length=1000)


class PaymentAllocation(Response):
    id: str
    invoice_id: str
    invoice_number: str
    amount: Money
    allocated_at: When
    unallocated_at: MaybeWhen = Field(
        None, description="set once taken back: the amount went to the customer's credit"
    )
    unallocated_by: str


class Payment(Response):
    id: str
    invoice_id: str = Field(description="the one invoice it was recorded against, if so")
    invoice_number: str
    order_id: str
    customer_id: str
    amount: Money
    reference: str
    received_on: date
    recorded_at: When
    recorded_by: str
    kind: str = Field(description='"received" (money in) or "credit" (customer credit applied)')
    allocations: list[PaymentAllocation]
    allocated: Money = Field(description="what is allocated to invoices now")
    unapplied: Money = Field(description="what no invoice took when received: customer credit")


class UnallocateIn(Request):
    allocation_id: Id = Field("", description="one allocation; else all")
    invoice_id: Id = Field("", description="or the allocation to this invoice")


class CreditApplyIn(Request):
    invoice_id: Id
    amount: MoneyIn | None = Field(
        None, description="empty: as much as the credit and the invoice's balance allow"
    )


class PaymentList(Response):
    items: list[Payment]
    next_page_token: str = Field(description="empty on the last page")


class CreditNoteLine(Response):
    order_line_id: str
    product_id: str
    sku: str
    quantity: int
    unit_price: Money
    line_total: Money


class CreditNote(Response):
    """A credit note for a cancelled order or returned goods, against one invoice."""

    id: str
    number: str
    invoice_id: str
    invoice_number: str
    order_id: str
    customer_id: str
    lines: list[CreditNoteLine]
    total: Money
    unapplied: Money = Field(
        description="the part the invoice's balance could not take (it was paid): owed back"
    )
    reason: str = Field(description='"cancelled", "returned" or "adjustment"')
    return_id: str
    issued_at: When
    memo: str = Field(description="why, for an adjustment")


class CreditNoteIn(Request):
    """Part of an invoice (`invoice_id`), or a free amount for a customer (`customer_id`)."""

    invoice_id: Id = ""
    customer_id: Id = ""
    amount: MoneyIn
    memo: str = Field(max_length=500, examples=["goodwill: late delivery"])


class CreditNoteList(Response):
    items: list[CreditNote]
    next_page_token: str = Field(description="empty on the last page")


class CustomerBalance(Response):
    customer_id: str
    balances: list[Money] = Field(
        description="open invoices less payments and credit notes, one per currency"
    )
    credits: list[Money] = Field(description="credit the customer can still use, per currency")


class AgingBuckets(Response):
    current: Money
    days_1_30: Money
    days_31_60: Money
    days_61_90: Money
    days_over_90: Money
    total: Money = Field(description="the sum of the buckets: every open document's balance")


class AgingLine(Response):
    party_id: str = Field(description="the customer or supplier; empty on a total")
    currency: str
    buckets: AgingBuckets
    credit: Money = Field(description="unapplied credit, not in the buckets")
    documents: int


class ArAging(Response):
    as_of: date
    customers: list[AgingLine]
    totals: list[AgingLine] = Field(description="one per currency")


class ApAging(Response):
    as_of: date
    suppliers: list[AgingLine]
    totals: list[AgingLine] = Field(description="one per currency")


class RevenueRow(Response):
    period: str = Field(description="YYYY-MM; empty on a total")
    channel: str
    invoiced: Money
    credited: Money
    net: Money
    invoices: int
    credit_notes: int


class Revenue(Response):
    rows: list[RevenueRow]
    totals: list[RevenueRow]


class BillLineIn(Request):
    product_id: Id
    quantity: Count
    unit_price: str = Field(
        max_length=40, examples=["9.50"], description="at most 12 digits before the point, 6 after"
    )


class BillIn(Request):
    purchase_order_id: Id
    supplier_id: Id
    supplier_reference: str = Field(max_length=100, examples=["INV-88812"])
    currency: str = Field(pattern="^[A-Z]{3}$", examples=["EUR"])
    lines: list[BillLineIn] = Field(max_length=1000)


class BillLine(Response):
    product_id: str
    sku: str
    quantity: int
    unit_price: Money
    line_total: Money
    ordered_quantity: int
    received_quantity: int
    ordered_unit_price: Money
    billed_before: int
    issue: str = Field(description="why the line holds the bill; empty when it matches")


class Bill(Response):
    id: str
    purchase_order_id: str
    purchase_order_number: str
    supplier_id: str
    supplier_reference: str
    lines: list[BillLine]
    total: Money
    status: str = Field(description='"held", "open", "partially_paid" or "paid"')
    match_status: str = Field(description='"matched", "held" or "released"')
    reason: str
    amount_paid: Money
    balance: Money
    due_date: Day
    recorded_at: When
    recorded_by: str
    released_at: MaybeWhen = None
    released_by: str
    release_note: str
    dual_control: bool = Field(
        description="above the amount that needs a second person: released only by a finance "
        "user other than recorded_by"
    )


class BillList(Response):
    items: list[Bill]
    next_page_token: str = Field(description="empty on the last page")


class ReleaseIn(Request):
    note: str = Field("", max_length=500)


class BillAllocationIn(Request):
    bill_id: Id
    amount: MoneyIn


class SupplierPaymentIn(Request):
    supplier_id: Id
    amount: MoneyIn
    reference: str = Field("", max_length=200)
    paid_on: date = Field(examples=["2026-03-01"])
    allocations: list[BillAllocationIn] = Field(default_factory=list, max_length=1000)


class SupplierPaymentAllocation(Response):
    bill_id: str
    supplier_reference: str
    amount: Money


class SupplierPayment(Response):
    id: str
    supplier_id: str
    amount: Money
    reference: str
    paid_on: date
    allocations: list[SupplierPaymentAllocation]
    unapplied: Money = Field(description="what no bill took: an advance to the supplier")
    recorded_at: When
    recorded_by: str


class SupplierPaymentList(Response):
    items: list[SupplierPayment]
    next_page_token: str = Field(description="empty on the last page")


# Exchange rates ------------------------------------------------------------------------------


class ExchangeRateIn(Request):
    """One unit of `base_currency` is worth `rate` units of `quote_currency` from
    `effective_from` (today when omitted) on."""

    base_currency: str = Field(pattern="^[A-Z]{3}$", examples=["USD"])
    quote_currency: str = Field(pattern="^[A-Z]{3}$", examples=["EUR"])
    rate: str = Field(
        max_length=30,
        examples=["0.9215"],
        description="> 0, at most 12 digits before the point and 12 after",
    )
    effective_from: date | None = Field(None, examples=["2026-03-01"])


class ExchangeRate(Response):
    base_currency: str
    quote_currency: str
    rate: str
    effective_from: date
    set_at: When
    set_by: str


class ExchangeRateList(Response):
    items: list[ExchangeRate]
    next_page_token: str = Field(description="empty on the last page")
