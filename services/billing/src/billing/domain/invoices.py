"""Invoices and what remains to pay on them. Plain Python.

An invoice's balance is its total less what was paid and what credit notes took off it. A payment
may never exceed the balance. A credit note credits goods (a cancelled order, returned units);
the part of it the balance can take is applied to the invoice, and the rest -- when the invoice
was paid already -- is `unapplied`: owed back to the customer. So the balance never goes below
zero and payments plus applied credits never exceed the total.

Amounts are kept as stored (six decimals); what callers see is trimmed or rounded where shown.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

from billing.domain.credit_notes import CreditLine
from billing.domain.events import (
    DomainEvent,
    InvoiceIssued,
    InvoiceOverdue,
    InvoicePaid,
    InvoiceReopened,
    PaymentReceived,
)
from billing.domain.receivables import OpenItem
from billing.domain.taxes import Buyer, LineTax, TaxTotal
from pricing.money import Money, minor_units
from servicekit.errors import Violations

OPEN, PARTIALLY_PAID, PAID, CREDITED = "open", "partially_paid", "paid", "credited"
DEFAULT_PAYMENT_DAYS = 30


@dataclass(frozen=True)
class Account:
    """An invoice's money: its total, what was paid, and what credit notes took off it."""

    total: Money
    paid: Money
    credited: Money
    status: str = OPEN

    @classmethod
    def new(cls, total: Money) -> Account:
        zero = Money.zero(total.currency)
        return cls(total, zero, zero)

    @property
    def balance(self) -> Money:
        return self.total - self.paid - self.credited

    def pay(self, amount: Money) -> Account:
        """The account once `amount` is paid; every reason to refuse it at once, by field."""
        problems = Violations()
        currency = self.total.currency
        if amount.currency != currency:
            problems.add("amount.currency", f"must be the invoice's currency, {currency}")
        elif amount.amount <= 0:
            problems.add("amount", "must be more than zero")
        elif amount.rounded() != amount:
            problems.add("amount", f"at most {minor_units(currency)} decimals in {currency}")
        elif amount.amount > self.balance.amount:
            problems.add("amount", f"exceeds the invoice's balance of {self.balance.rounded()}")
        problems.raise_if_any()
        return self._settled(replace(self, paid=self.paid + amount))

    def credit(self, amount: Money, *, cancelled: bool = False) -> tuple[Account, Money]:
        """The account once a credit note of `amount` is applied, and the part it could not
        take (unapplied). A cancellation marks the invoice credited whatever was paid."""
        applied = min(amount, self.balance) if amount.amount > 0 else amount.times(0)
        settled = self._settled(replace(self, credited=self.credited + applied))
        if cancelled:
            settled = replace(settled, status=CREDITED)
        return settled, amount - applied

    def take_back(self, amount: Money) -> Account:
        """The account once `amount` paid on it is taken back (unallocated)."""
        return self._settled(replace(self, paid=self.paid - amount))

    def _settled(self, account: Account) -> Account:
        return replace(account, status=status_of(account, self.status))


def status_of(account: Account, previous: str = OPEN) -> str:
    """open -> partially_paid -> paid; credited once credit notes leave nothing to pay (or the
    order was cancelled), and credited stays credited."""
    if previous == CREDITED:
        return CREDITED
    paid = account.paid.amount > 0
    if account.balance.amount <= 0:
        return PAID if paid else CREDITED
    return PARTIALLY_PAID if paid else OPEN


def payment_days(terms: str) -> int:
    """Days to pay under terms as a customer account states them: "30 days net", "net 14",
    "2/10 net 30" (30), "due on receipt" (0); 30 when empty or not understood."""
    text = terms.strip().lower()
    if not text:
        return DEFAULT_PAYMENT_DAYS
    if "receipt" in text or "immediate" in text:
        return 0
    for pattern in (r"net\s*(\d+)", r"(\d+)\s*(?:days?\b|d\b)", r"^(\d+)$"):
        found = re.search(pattern, text)
        if found and int(found.group(1)) <= 366:
            return int(found.group(1))
    return DEFAULT_PAYMENT_DAYS


def due_date(issued_on: date, terms: str) -> date:
    """When an invoice issued on `issued_on` falls due under `terms`."""
    return issued_on + timedelta(days=payment_days(terms))


def invoice_number(year: int, sequence: int) -> str:
    """The invoice number of the year's `sequence`th: "INV-2026-000001"."""
    return f"INV-{year}-{sequence:06d}"


@dataclass(frozen=True)
class InvoiceLine:
    """Units of an order line an invoice bills, and what they came to."""

    order_line_id: str
    product_id: str
    sku: str
    quantity: int
    unit_price: Money
    # As stated: a priced document's net for the line, or as stored. Else quantity x unit price.
    line_total: Money | None = None
    # Units returned, and what their credit notes credited for them.
    returned: int = 0
    credited: Money | None = None
    # Each tax on the line (a priced document's share); empty for an untaxed line.
    taxes: tuple[LineTax, ...] = ()

    @property
    def gross(self) -> Money:
        """What the customer pays for the line: its net and its taxes."""
        return sum((t.amount for t in self.taxes), self.total)

    @property
    def total(self) -> Money:
        if self.line_total is not None:
            return self.line_total
        return self.unit_price.times(self.quantity).rounded()

    @property
    def credited_so_far(self) -> Money:
        return self.credited if self.credited is not None else self.total.times(0)


@dataclass
class Invoice:
    """What a shipment bills (or a whole order made from a quote, or an accepted quote), and
    what was paid and credited on it since. Transitions return the events they cause."""

    id: str
    number: str
    customer_id: str
    total: Money
    issued_at: datetime
    due_date: date
    created_by: str
    lines: list[InvoiceLine]
    amount_paid: Money
    amount_credited: Money
    status: str = OPEN
    # Empty when the invoice does not bill an order, a shipment, a quote.
    order_id: str = ""
    shipment_id: str = ""
    quote_id: str = ""
    # The priced document it bills, as received (JSON), shown as is; None for a shipment's.
    document: Mapping[str, Any] | None = None
    overdue_at: datetime | None = None
    # The tax breakdown per (code, rate), and the buyer as invoiced (None before issue 11).
    taxes: tuple[TaxTotal, ...] = ()
    buyer: Buyer | None = None

    @classmethod
    def issue(
        cls,
        invoice_id: str,
        number: str,
        customer_id: str,
        lines: list[InvoiceLine],
        total: Money,
        *,
        issued_at: datetime,
        due_on: date,
        created_by: str,
        order_id: str = "",
        shipment_id: str = "",
        quote_id: str = "",
        document: Mapping[str, Any] | None = None,
        taxes: tuple[TaxTotal, ...] = (),
        channel: str = "",
        buyer: Buyer | None = None,
    ) -> tuple[Invoice, list[DomainEvent]]:
        zero = Money.zero(total.currency)
        invoice = cls(
            invoice_id,
            number,
            customer_id,
            total,
            issued_at,
            due_on,
            created_by,
            lines,
            zero,
            zero,
            order_id=order_id,
            shipment_id=shipment_id,
            quote_id=quote_id,
            document=document,
            taxes=taxes,
            buyer=buyer,
        )
        issued = InvoiceIssued(
            invoice_id,
            number,
            order_id,
            shipment_id,
            customer_id,
            total,
            document is not None and bool(order_id),
            quote_id,
            channel,
        )
        return invoice, [issued]

    @property
    def currency(self) -> str:
        return self.total.currency

    @property
    def covers_order(self) -> bool:
        """Bills a priced document whole (an order made from a quote, or the quote itself)."""
        return self.document is not None

    @property
    def account(self) -> Account:
        return Account(self.total, self.amount_paid, self.amount_credited, self.status)

    @property
    def balance(self) -> Money:
        """What is left to pay, as callers see it."""
        return (self.total - self.amount_paid - self.amount_credited).rounded()

    def open_item(self) -> OpenItem:
        """The invoice as a payment can be allocated to it."""
        return OpenItem(
            self.id,
            self.customer_id,
            self.due_date,
            self.account.balance.rounded(),
            self.number,
            self.status in (OPEN, PARTIALLY_PAID),
        )

    def pay(self, amount: Money, payment_id: str) -> list[DomainEvent]:
        """`amount` of a payment onto the invoice (refused by field beyond its balance, in
        another currency, or finer than the currency's minor unit)."""
        before = self.account
        after = before.pay(amount)
        self._take(after)
        events: list[DomainEvent] = [
            PaymentReceived(
                payment_id,
                self.id,
                self.order_id,
                self.customer_id,
                amount,
                after.balance.rounded(),
            )
        ]
        return events + self._paid_off(before, after)

    def credit(self, amount: Money, *, cancelled: bool) -> tuple[Money, list[DomainEvent]]:
        """A credit note of `amount` applied; gives the part the balance could not take."""
        before = self.account
        after, unapplied = before.credit(amount, cancelled=cancelled)
        self._take(after)
        return unapplied, self._paid_off(before, after)

    def take_back(self, amount: Money, payment_id: str = "") -> list[DomainEvent]:
        """`amount` paid on it is taken back (a payment unallocated): it reopens. A paid invoice
        announces it (InvoiceReopened): its order is no longer paid."""
        was_paid = self.status == PAID
        self._take(self.account.take_back(amount))
        if not was_paid or self.status == PAID:
            return []
        balance = self.account.balance.rounded()
        return [InvoiceReopened(self.id, self.order_id, self.customer_id, payment_id, balance)]

    def mark_credited(self) -> None:
        """Its order was cancelled and credit notes left nothing to credit: credited."""
        self.status = CREDITED

    def fall_overdue(self, now: datetime) -> list[DomainEvent]:
        """Past its due date unpaid: announced once."""
        self.overdue_at = now
        return [
            InvoiceOverdue(
                self.id,
                self.number,
                self.order_id,
                self.customer_id,
                self.due_date,
                self.account.balance.rounded(),
            )
        ]

    def take_return(self, credits: Iterable[CreditLine]) -> None:
        """Counts returned units against its lines, with what their credit notes credit."""
        by_line = {line.order_line_id: i for i, line in enumerate(self.lines)}
        for credit in (c for c in credits if c.invoice_id == self.id):
            i = by_line[credit.order_line_id]
            line = self.lines[i]
            self.lines[i] = replace(
                line,
                returned=line.returned + credit.quantity,
                credited=line.credited_so_far + credit.amount,
            )

    def _take(self, account: Account) -> None:
        self.amount_paid, self.amount_credited = account.paid, account.credited
        self.status = account.status

    def _paid_off(self, before: Account, after: Account) -> list[DomainEvent]:
        if after.status == PAID and before.status != PAID:
            return [InvoicePaid(self.id, self.order_id, self.customer_id)]
        return []
