"""Allocating money to open documents, and ageing what stays open. Plain Python.

A payment (received from a customer or sent to a supplier) is spread over open documents --
invoices or bills -- either as the caller says or oldest due first. No document ever gets more
than it has open, the allocations never add up to more than the payment, and whatever is left is
credit: payment = allocated + unapplied, exactly, in the currency's minor unit.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from pricing.money import Money, minor_units
from servicekit.errors import Violations

# Ageing buckets by days past due: not yet due, then 1-30, 31-60, 61-90 and more than 90 days.
CURRENT, DAYS_1_30, DAYS_31_60, DAYS_61_90, DAYS_OVER_90 = (
    "current",
    "days_1_30",
    "days_31_60",
    "days_61_90",
    "days_over_90",
)
BUCKETS = (CURRENT, DAYS_1_30, DAYS_31_60, DAYS_61_90, DAYS_OVER_90)


@dataclass(frozen=True)
class OpenItem:
    """A document money can be allocated to: its open amount and whose it is."""

    id: str
    party_id: str
    due_date: date
    open: Money
    # Orders documents due on the same day (the invoice or bill number).
    number: str = ""
    # False for a bill held by a three-way mismatch: nothing may be paid on it yet.
    payable: bool = True


@dataclass(frozen=True)
class Allocation:
    """Part of a payment planned for one document."""

    item_id: str
    amount: Money


@dataclass(frozen=True)
class Plan:
    """Where a payment goes: allocations in the order given, and the rest (credit)."""

    allocations: tuple[Allocation, ...]
    unapplied: Money

    @property
    def allocated(self) -> Money:
        total = self.unapplied.times(0)
        for allocation in self.allocations:
            total = total + allocation.amount
        return total


@dataclass(frozen=True)
class Requested:
    """An allocation as the caller asked for it; `currency` as sent, checked against the
    payment's."""

    item_id: str
    amount: Money


def check_amount(problems: Violations, name: str, amount: Money) -> None:
    """A positive amount with at most the currency's minor unit."""
    if amount.amount <= 0:
        problems.add(name, "must be more than zero")
    elif amount.rounded() != amount:
        problems.add(name, f"at most {minor_units(amount.currency)} decimals in {amount.currency}")


def plan(
    payment: Money,
    party_id: str,
    items: Mapping[str, OpenItem],
    requested: Sequence[Requested] | None,
    *,
    id_field: str = "invoice_id",
    what: str = "invoice",
    party: str = "customer",
) -> Plan:
    """Allocates `payment` for `party_id`: as `requested` (every bad allocation refused by its
    field, allocations[i].<id_field> or allocations[i].amount), or -- when nothing is requested
    -- to the party's payable items in the payment's currency, oldest due first. Raises
    InvalidArgument and changes nothing when any allocation is refused."""
    if requested:
        return _as_requested(payment, party_id, items, requested, id_field, what, party)
    return oldest_due_first(payment, party_id, items.values())


def oldest_due_first(payment: Money, party_id: str, items: Iterable[OpenItem]) -> Plan:
    """The party's payable documents in the payment's currency, oldest due first."""
    left = payment
    allocations = []
    candidates = sorted(
        (
            i
            for i in items
            if i.party_id == party_id
            and i.payable
            and i.open.currency == payment.currency
            and i.open.amount > 0
        ),
        key=lambda i: (i.due_date, i.number, i.id),
    )
    for item in candidates:
        if left.amount <= 0:
            break
        amount = min(left, item.open)
        allocations.append(Allocation(item.id, amount))
        left = left - amount
    return Plan(tuple(allocations), left)


def _as_requested(
    payment: Money,
    party_id: str,
    items: Mapping[str, OpenItem],
    requested: Sequence[Requested],
    id_field: str,
    what: str,
    party: str,
) -> Plan:
    problems = Violations()
    seen: set[str] = set()
    allocations = []
    total = Money.zero(payment.currency)
    for i, ask in enumerate(requested):
        at = f"allocations[{i}]"
        item = items.get(ask.item_id)
        if not ask.item_id:
            problems.add(f"{at}.{id_field}", "required")
            continue
        if item is None:
            problems.add(f"{at}.{id_field}", f"no {what} {ask.item_id}")
            continue
        if ask.item_id in seen:
            problems.add(f"{at}.{id_field}", f"{what} {ask.item_id} is listed twice")
            continue
        seen.add(ask.item_id)
        if item.party_id != party_id:
            problems.add(f"{at}.{id_field}", f"{what} {ask.item_id} is not {party} {party_id}'s")
            continue
        if not item.payable:
            problems.add(f"{at}.{id_field}", f"{what} {ask.item_id} is held and cannot be paid")
            continue
        if ask.amount.currency != payment.currency:
            problems.add(f"{at}.amount.currency", f"must be the payment's, {payment.currency}")
            continue
        if item.open.currency != payment.currency:
            problems.add(
                f"{at}.{id_field}",
                f"{what} {ask.item_id} is in {item.open.currency}, not {payment.currency}",
            )
            continue
        before = len(problems.items)
        check_amount(problems, f"{at}.amount", ask.amount)
        if len(problems.items) > before:
            continue
        if ask.amount.amount > item.open.amount:
            problems.add(
                f"{at}.amount", f"exceeds the {what}'s open amount of {item.open.rounded()}"
            )
            continue
        allocations.append(Allocation(item.id, ask.amount))
        total = total + ask.amount
    if not problems.items and total.amount > payment.amount:
        problems.add(
            "allocations",
            f"allocate {total.rounded()} in all, more than the payment of {payment.rounded()}",
        )
    problems.raise_if_any()
    return Plan(tuple(allocations), payment - total)


# Ageing ---------------------------------------------------------------------------------------


def bucket_of(due: date, as_of: date) -> str:
    """The bucket of a document due on `due`, as of `as_of`: due today or later is current."""
    late = (as_of - due).days
    if late <= 0:
        return CURRENT
    if late <= 30:
        return DAYS_1_30
    if late <= 60:
        return DAYS_31_60
    if late <= 90:
        return DAYS_61_90
    return DAYS_OVER_90


@dataclass(frozen=True)
class AgedItem:
    """What was open on one document, and when it fell due."""

    party_id: str
    due_date: date
    open: Money


@dataclass
class AgingLine:
    """One party's (or, with party_id empty, everyone's) open amounts in one currency."""

    party_id: str
    currency: str
    buckets: dict[str, Money] = field(default_factory=dict)
    credit: Money | None = None
    documents: int = 0

    @property
    def total(self) -> Money:
        total = Money.zero(self.currency)
        for bucket in BUCKETS:
            total = total + self.buckets.get(bucket, Money.zero(self.currency))
        return total

    def bucket(self, name: str) -> Money:
        return self.buckets.get(name, Money.zero(self.currency))

    def add(self, name: str, amount: Money) -> None:
        self.buckets[name] = self.bucket(name) + amount
        self.documents += 1


@dataclass(frozen=True)
class Aging:
    """Open amounts per party and currency, and per currency in all."""

    lines: list[AgingLine]
    totals: list[AgingLine]


def age(
    items: Iterable[AgedItem], as_of: date, credits: Mapping[tuple[str, str], Money] | None = None
) -> Aging:
    """Open amounts by days past due, per party and currency (sorted), and per currency in all.
    Items with nothing open are not counted; unapplied credit is shown beside the buckets, never
    in them, so each line's total is exactly the sum of its open documents."""
    lines: dict[tuple[str, str], AgingLine] = {}
    totals: dict[str, AgingLine] = {}
    for item in items:
        if item.open.amount <= 0:
            continue
        currency = item.open.currency
        bucket = bucket_of(item.due_date, as_of)
        line = lines.setdefault((item.party_id, currency), AgingLine(item.party_id, currency))
        line.add(bucket, item.open)
        totals.setdefault(currency, AgingLine("", currency)).add(bucket, item.open)
    for (party_id, currency), credit in (credits or {}).items():
        if credit.amount == 0:
            continue
        line = lines.setdefault((party_id, currency), AgingLine(party_id, currency))
        line.credit = credit
        total = totals.setdefault(currency, AgingLine("", currency))
        total.credit = (total.credit or Money.zero(currency)) + credit
    return Aging(
        [lines[key] for key in sorted(lines)], [totals[currency] for currency in sorted(totals)]
    )
