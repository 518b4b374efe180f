"""Bodies of the receivables: invoices with what remains to pay, payments and their allocations,
customer credit, credit notes, customer balances, ageing and revenue reports. Amounts stay strings
(bounded by MoneyIn), checked by billing."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from gateway.bodies import Day, Id, MaybeWhen, Money, MoneyIn, Request, Response, When
from gateway.documents import HasDocument, PricedDocument
from oms.billing.v1 import billing_pb2


class InvoiceLine(Response):
    order_line_id: str
    product_id: str
    sku: str
    quantity: int
    unit_price: Money
    line_total: Money


class Invoice(HasDocument):
    """`document`: groups, taxes and the engine's breakdown, when it bills a priced document."""

    id: str
    number: str
    order_id: str
    shipment_id: str
    customer_id: str
    lines: list[InvoiceLine]
    total: Money
    status: str
    issued_at: When
    quote_id: str = Field(description="the accepted quote it was made from directly, if any")
    document: PricedDocument | None = None


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

    def to_proto(self) -> billing_pb2.AllocationRequest:
        return billing_pb2.AllocationRequest(
            invoice_id=self.invoice_id, amount=self.amount.to_proto()
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

    def to_proto(self, request_id: str) -> billing_pb2.RecordCustomerPaymentRequest:
        """The one payment RPC: billing routes it by what is given."""
        return billing_pb2.RecordCustomerPaymentRequest(
            invoice_id=self.invoice_id,
            customer_id=self.customer_id,
            amount=self.amount.to_proto(),
            reference=self.reference,
            received_on=self.received_on.isoformat(),
            allocations=[a.to_proto() for a in self.allocations],
            request_id=request_id,
        )


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
