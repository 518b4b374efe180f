"""Bodies of the payables: supplier bills matched against purchase orders and receipts, the
payments sent to suppliers, and the ageing of what is owed. Amounts stay strings, checked by
billing."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from gateway.billing.schemas import AgingLine
from gateway.bodies import (
    AMOUNT_DIGITS,
    Count,
    Day,
    Id,
    MaybeWhen,
    Money,
    MoneyIn,
    Request,
    Response,
    When,
)
from gateway.examples import examples, page
from gateway.payables import examples as ex
from gateway.reporting import ReportingTotal


class BillLineIn(Request):
    """A line of a supplier's bill: a product of the purchase order, how many and at what unit
    price."""

    model_config = examples(ex.BILL_LINE_IN)

    product_id: Id
    quantity: Count
    unit_price: str = Field(max_length=40, examples=["9.50"], description=AMOUNT_DIGITS)


class BillIn(Request):
    """A supplier's bill for a purchase order, as the supplier sent it."""

    model_config = examples(ex.BILL_IN)

    purchase_order_id: Id
    supplier_id: Id
    supplier_reference: str = Field(max_length=100, examples=["INV-88812"])
    currency: str = Field(pattern="^[A-Z]{3}$", examples=["EUR"])
    lines: list[BillLineIn] = Field(max_length=1000)


class BillLine(Response):
    """A line of a bill beside what was ordered and received of its product; `issue` says why it
    holds the bill."""

    model_config = examples(ex.BILL_LINE)

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
    """A supplier's bill, how it matched its purchase order and receipts, and what remains to
    pay."""

    model_config = examples(ex.BILL)

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
    """A page of bills, newest first."""

    model_config = examples(page(ex.BILL))

    items: list[Bill]
    next_page_token: str = Field(description="empty on the last page")


class ReleaseIn(Request):
    """Why a held bill is released (kept with the bill)."""

    model_config = examples(ex.RELEASE_IN)

    note: str = Field("", max_length=500)


class BillAllocationIn(Request):
    """The part of a payment sent that goes to one bill."""

    model_config = examples(ex.BILL_ALLOCATION_IN)

    bill_id: Id
    amount: MoneyIn


class AdvanceIn(Request):
    """The bill to pay out of a payment's advance, and how much."""

    model_config = examples(ex.ADVANCE_IN)

    bill_id: Id
    amount: MoneyIn | None = Field(
        None, description="null: the smaller of the advance left and the bill's balance"
    )


class SupplierPaymentIn(Request):
    """Money sent to a supplier, and how it is allocated to its bills (oldest due first when
    `allocations` is empty)."""

    model_config = examples(ex.SUPPLIER_PAYMENT_IN)

    supplier_id: Id
    amount: MoneyIn
    reference: str = Field("", max_length=200)
    paid_on: date = Field(examples=["2026-03-01"])
    allocations: list[BillAllocationIn] = Field(default_factory=list, max_length=1000)


class SupplierPaymentAllocation(Response):
    """The part of a payment sent that paid one bill."""

    model_config = examples(ex.SUPPLIER_PAYMENT_ALLOCATION)

    bill_id: str
    supplier_reference: str
    amount: Money


class SupplierPayment(Response):
    """Money sent to a supplier: the bills it paid and the advance left."""

    model_config = examples(ex.SUPPLIER_PAYMENT)

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
    """A page of payments sent, newest first."""

    model_config = examples(page(ex.SUPPLIER_PAYMENT))

    items: list[SupplierPayment]
    next_page_token: str = Field(description="empty on the last page")


class ApAging(Response):
    """What the suite owes its suppliers, by days past due, as of a day: per supplier and currency,
    and totals."""

    model_config = examples(ex.AP_AGING)

    as_of: date
    suppliers: list[AgingLine]
    totals: list[AgingLine] = Field(description="one per currency")
    reporting_total: ReportingTotal = Field(
        description="the open balances of every currency in the reporting currency"
    )
