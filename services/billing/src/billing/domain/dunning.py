"""Dunning: overdue invoices per customer, reminder levels by days overdue, and the credit hold
of customers overdue too long. Plain Python.

Levels are days past due (by default 7, 21 and 35: a first reminder, a second, a final one). A
dunning run reminds each customer once, at the highest level any of its overdue invoices reached
and was not reminded at yet; each (invoice, level) is reminded at most once, so a second run
sends nothing new. A customer with an invoice overdue more than the hold's days (unset: off) is
put on credit hold, which ends when every invoice that caused it is settled.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime

from billing.domain.events import CustomerCreditHoldChanged, DomainEvent, ReminderSent
from pricing.money import Money


@dataclass(frozen=True)
class DunningPolicy:
    """The days past due at which each reminder level is due (ascending), and after how many
    days overdue a customer's credit is held (None: never)."""

    level_days: tuple[int, ...] = (7, 21, 35)
    credit_hold_after_days: int | None = None

    def level_of(self, days_overdue: int) -> int:
        """The reminder level `days_overdue` reaches: 0 before the first level's days."""
        return sum(1 for days in self.level_days if days_overdue >= days)


@dataclass(frozen=True)
class OpenInvoice:
    """An invoice with money open on it, as dunning reads it."""

    invoice_id: str
    number: str
    customer_id: str
    due_date: date
    open: Money


@dataclass(frozen=True)
class Overdue:
    """An overdue invoice with its days overdue, the level they reach and the level sent."""

    invoice_id: str
    number: str
    customer_id: str
    due_date: date
    open: Money
    days_overdue: int
    level_due: int
    level_sent: int = 0


def overdue(
    invoices: Iterable[OpenInvoice],
    as_of: date,
    policy: DunningPolicy,
    sent: Mapping[str, int],
) -> list[Overdue]:
    """The invoices past due on `as_of` with money open, by customer then oldest due first;
    `sent` is the highest level already reminded per invoice."""
    found = [
        Overdue(
            i.invoice_id,
            i.number,
            i.customer_id,
            i.due_date,
            i.open,
            (as_of - i.due_date).days,
            policy.level_of((as_of - i.due_date).days),
            sent.get(i.invoice_id, 0),
        )
        for i in invoices
        if i.due_date < as_of and i.open.amount > 0
    ]
    return sorted(found, key=lambda o: (o.customer_id, o.due_date, o.number))


@dataclass(frozen=True)
class Reminder:
    """A reminder sent to a customer: its level and the invoices it lists as they stood."""

    id: str
    customer_id: str
    level: int
    sent_at: datetime
    sent_by: str
    invoices: tuple[Overdue, ...]


def reminders_due(items: Sequence[Overdue]) -> dict[str, list[Overdue]]:
    """Per customer, the invoices whose level due was not reminded yet (each at its own level);
    customers with none are left out."""
    due: dict[str, list[Overdue]] = {}
    for item in items:
        if item.level_due > item.level_sent:
            due.setdefault(item.customer_id, []).append(item)
    return due


def remind(
    reminder_id: str, customer_id: str, items: Sequence[Overdue], at: datetime, by: str
) -> tuple[Reminder, list[DomainEvent]]:
    """The reminder of `items` at the highest level among them; each is recorded as sent at its
    own level."""
    level = max(i.level_due for i in items)
    listed = tuple(replace(i, level_sent=i.level_due) for i in items)
    reminder = Reminder(reminder_id, customer_id, level, at, by, listed)
    return reminder, [
        ReminderSent(reminder_id, customer_id, level, tuple(i.invoice_id for i in listed))
    ]


def holds_due(items: Iterable[Overdue], policy: DunningPolicy) -> dict[str, list[Overdue]]:
    """Per customer, the invoices overdue beyond the hold's days; nothing when holds are off."""
    after = policy.credit_hold_after_days
    if after is None:
        return {}
    found: dict[str, list[Overdue]] = {}
    for item in items:
        if item.days_overdue > after:
            found.setdefault(item.customer_id, []).append(item)
    return found


@dataclass(frozen=True)
class CreditHold:
    """A customer's credit held by billing for the invoices listed."""

    customer_id: str
    reason: str
    invoice_ids: tuple[str, ...]
    since: datetime

    @classmethod
    def place(
        cls, customer_id: str, items: Sequence[Overdue], at: datetime
    ) -> tuple[CreditHold, list[DomainEvent]]:
        reason = "; ".join(f"{i.number} is {i.days_overdue} days overdue" for i in items)
        hold = cls(customer_id, reason, tuple(i.invoice_id for i in items), at)
        return hold, [CustomerCreditHoldChanged(customer_id, True, reason)]

    def release(self) -> list[DomainEvent]:
        return [CustomerCreditHoldChanged(self.customer_id, False, "")]
