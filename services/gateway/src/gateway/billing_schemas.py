"""Bodies of the billing resources: invoices with what remains to pay, payments, credit notes
and customer balances."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from pydantic import BeforeValidator, Field

from gateway.schemas import Invoice, Money, MoneyIn, Request, Response, When


def _empty_is_none(value: Any) -> Any:
    return None if value == "" else value


# An ISO date (YYYY-MM-DD) on the wire; empty there means none.
Day = Annotated[date | None, BeforeValidator(_empty_is_none)]


class BillingInvoice(Invoice):
    """An invoice with its due date and what was paid and credited on it."""

    due_date: Day = Field(description="issue date plus the customer's payment terms")
    amount_paid: Money
    amount_credited: Money = Field(description="what credit notes took off what was left to pay")
    balance: Money = Field(description="what remains to be paid")


class InvoiceList(Response):
    items: list[BillingInvoice]


class PaymentIn(Request):
    invoice_id: str = Field(max_length=36)
    amount: MoneyIn = Field(description="in the invoice's currency, at most its balance")
    reference: str = Field("", max_length=200, examples=["bank transfer 2026-0042"])
    received_on: date = Field(examples=["2026-03-01"])


class Payment(Response):
    id: str
    invoice_id: str
    invoice_number: str
    order_id: str
    customer_id: str
    amount: Money
    reference: str
    received_on: date
    recorded_at: When
    recorded_by: str


class PaymentList(Response):
    items: list[Payment]


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
    reason: str = Field(description='"cancelled" or "returned"')
    return_id: str
    issued_at: When


class CreditNoteList(Response):
    items: list[CreditNote]


class CustomerBalance(Response):
    customer_id: str
    balances: list[Money] = Field(
        description="open invoices less payments and credit notes, one per currency"
    )
