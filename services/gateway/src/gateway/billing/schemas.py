"""Bodies of the receivables: invoices with what remains to pay, payments and their allocations,
customer credit, credit notes, customer balances, ageing and revenue reports. Amounts stay strings
(bounded by MoneyIn), checked by billing."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from gateway.billing import examples as ex
from gateway.bodies import Day, Id, MaybeWhen, Money, MoneyIn, Request, Response, When
from gateway.documents import HasDocument, PricedDocument
from gateway.examples import examples, page
from gateway.reporting import ReportingTotal
from oms.billing.v1 import billing_pb2


class LineTax(Response):
    """One tax on an invoice line: its code, rate and amount."""

    model_config = examples(ex.LINE_TAX)

    code: str
    rate: str = Field(description='a decimal fraction: "0.19" for 19 %')
    amount: Money


class DocumentTax(Response):
    """One tax at one rate over a whole document."""

    model_config = examples(ex.DOCUMENT_TAX)

    code: str
    rate: str = Field(description='a decimal fraction: "0.19" for 19 %')
    base: Money = Field(description="the nets it was levied on")
    amount: Money


class Party(Response):
    """The seller or the buyer, as the document names them."""

    model_config = examples(ex.SELLER)

    name: str
    tax_id: str
    address: list[str] = Field(description="a line each: street, postal code and city, country")
    registration: str = Field(description="the seller's company register and number")


class InvoiceLine(Response):
    """A line of an invoice: the order line it bills, its net and its taxes."""

    model_config = examples(ex.INVOICE_LINE)

    order_line_id: str
    product_id: str
    sku: str
    quantity: int
    unit_price: Money
    line_total: Money = Field(description="for a priced document's line: its net")
    taxes: list[LineTax] = Field(default_factory=list)
    gross: Money | None = Field(None, description="line_total and its taxes")


class Invoice(HasDocument):
    """An invoice for what a shipment delivered of an order (or for a priced document):
    its lines and total. `document`: groups, taxes and the engine's breakdown, when it bills a
    priced document."""

    model_config = examples(ex.INVOICE)

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

    model_config = examples(ex.BILLING_INVOICE)

    due_date: Day = Field(description="issue date plus the customer's payment terms")
    amount_paid: Money
    amount_credited: Money = Field(description="what credit notes took off what was left to pay")
    balance: Money = Field(description="what remains to be paid")
    seller: Party | None = Field(None, description="the seller's legal data")
    buyer: Party | None = Field(None, description="the customer as invoiced")
    payment_terms: str = ""
    taxes: list[DocumentTax] = Field(
        default_factory=list, description="the tax breakdown per code and rate"
    )
    payment_instructions: str = Field("", description="how to pay: bank account, reference")
    tax_exemption: str = Field("", description="why it bears no tax, when the customer is exempt")
    net: Money | None = Field(None, description="total less its taxes")


class InvoiceList(Response):
    """A page of invoices, newest first."""

    model_config = examples(page(ex.BILLING_INVOICE))

    items: list[BillingInvoice]
    next_page_token: str = Field(description="empty on the last page")


class AllocationIn(Request):
    """The part of a customer's payment that goes to one invoice."""

    model_config = examples(ex.ALLOCATION_IN)

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

    model_config = examples(ex.PAYMENT_IN)

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
    """A part of a payment allocated to one invoice, and whether it was taken back."""

    model_config = examples(ex.PAYMENT_ALLOCATION)

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
    """Money received from a customer (or its credit applied), and the invoices it paid."""

    model_config = examples(ex.PAYMENT)

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
    """Which allocations to take back: one (by its id or its invoice), or all when empty."""

    model_config = examples(ex.UNALLOCATE_IN)

    allocation_id: Id = Field("", description="one allocation; else all")
    invoice_id: Id = Field("", description="or the allocation to this invoice")


class CreditApplyIn(Request):
    """The invoice to pay out of the customer's credit, and how much."""

    model_config = examples(ex.CREDIT_APPLY_IN)

    invoice_id: Id
    amount: MoneyIn | None = Field(
        None, description="empty: as much as the credit and the invoice's balance allow"
    )


class PaymentList(Response):
    """A page of payments, newest first."""

    model_config = examples(page(ex.PAYMENT))

    items: list[Payment]
    next_page_token: str = Field(description="empty on the last page")


class CreditNoteLine(Response):
    """A line of a credit note: what it credits of an invoice line."""

    model_config = examples(ex.CREDIT_NOTE_LINE)

    order_line_id: str
    product_id: str
    sku: str
    quantity: int
    unit_price: Money
    line_total: Money = Field(description="what is credited for the line, taxes included")
    taxes: list[LineTax] = Field(
        default_factory=list, description="the taxes credited, as on the invoice line"
    )
    net: Money | None = Field(None, description="line_total less its taxes")


class CreditNote(Response):
    """A credit note for a cancelled order or returned goods, against one invoice."""

    model_config = examples(ex.CREDIT_NOTE)

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
    seller: Party | None = Field(None, description="the seller's legal data")
    buyer: Party | None = Field(None, description="the customer as credited")
    taxes: list[DocumentTax] = Field(
        default_factory=list, description="the tax credited per code and rate"
    )
    tax_exemption: str = ""
    net: Money | None = Field(None, description="total less the taxes credited")


class CreditNoteIn(Request):
    """Part of an invoice (`invoice_id`), or a free amount for a customer (`customer_id`)."""

    model_config = examples(ex.CREDIT_NOTE_IN)

    invoice_id: Id = ""
    customer_id: Id = ""
    amount: MoneyIn
    memo: str = Field(max_length=500, examples=["goodwill: late delivery"])


class CreditNoteList(Response):
    """A page of credit notes, newest first."""

    model_config = examples(page(ex.CREDIT_NOTE))

    items: list[CreditNote]
    next_page_token: str = Field(description="empty on the last page")


class CustomerBalance(Response):
    """What a customer owes and the credit it can still use, per currency."""

    model_config = examples(ex.CUSTOMER_BALANCE)

    customer_id: str
    balances: list[Money] = Field(
        description="open invoices less payments and credit notes, one per currency"
    )
    credits: list[Money] = Field(description="credit the customer can still use, per currency")


class AgingBuckets(Response):
    """Open balances by days past due."""

    model_config = examples(ex.AGING_BUCKETS)

    current: Money
    days_1_30: Money
    days_31_60: Money
    days_61_90: Money
    days_over_90: Money
    total: Money = Field(description="the sum of the buckets: every open document's balance")


class AgingLine(Response):
    """One party's (or, with an empty party_id, every party's) open balances in one currency."""

    model_config = examples(ex.AGING_LINE)

    party_id: str = Field(description="the customer or supplier; empty on a total")
    currency: str
    buckets: AgingBuckets
    credit: Money = Field(description="unapplied credit, not in the buckets")
    documents: int


class ArAging(Response):
    """What customers owe, by days past due, as of a day: per customer and currency, and totals."""

    model_config = examples(ex.AR_AGING)

    as_of: date
    customers: list[AgingLine]
    totals: list[AgingLine] = Field(description="one per currency")
    reporting_total: ReportingTotal = Field(
        description="the open balances of every currency in the reporting currency"
    )


class RevenueRow(Response):
    """What was invoiced and credited in one month (and channel), with and without tax."""

    model_config = examples(ex.REVENUE_ROW)

    period: str = Field(description="YYYY-MM; empty on a total")
    channel: str
    invoiced: Money
    credited: Money
    net: Money
    invoices: int
    credit_notes: int
    invoiced_net: Money = Field(description="invoiced less its tax")
    invoiced_tax: Money
    credited_net: Money = Field(description="credited less its tax")
    credited_tax: Money
    net_revenue: Money = Field(description="revenue without tax: invoiced_net - credited_net")
    tax: Money = Field(description="invoiced_tax - credited_tax")


class Revenue(Response):
    """Revenue per month (and channel), its totals per currency, and the total in the
    reporting currency."""

    model_config = examples(ex.REVENUE)

    rows: list[RevenueRow]
    totals: list[RevenueRow]
    reporting_total: ReportingTotal = Field(
        description="net revenue of every currency in the reporting currency, at to_date's rates"
    )
