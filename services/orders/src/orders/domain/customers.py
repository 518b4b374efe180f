"""The customer master: accounts (companies, persons, and the guests a sales channel registers
with their order) sales orders are placed for, and what credit control needs to know of them.
Plain Python. Opening or replacing an account returns the event it causes; the credit limit and
the payment terms are finance's to set.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import datetime
from decimal import Decimal
from typing import Any

from orders.domain.customer_input import Address, CustomerInput, Details, check_input
from orders.domain.events import CustomerChanged, CustomerEvent, CustomerRegistered
from pricing.money import Money

# What only finance (or an admin) sets: it decides how much credit the customer gets.
FINANCE_FIELDS = ("credit_limit", "payment_terms", "tax_exemption")


@dataclass(frozen=True)
class Customer:
    id: str
    details: Details
    created_at: datetime
    created_by: str
    updated_at: datetime
    updated_by: str
    version: int = 1

    def replaced(
        self, details: Details, now: datetime, actor: str
    ) -> tuple[Customer, list[CustomerEvent]]:
        """The account with every editable field replaced (a full update)."""
        changed = replace(
            self, details=details, updated_at=now, updated_by=actor, version=self.version + 1
        )
        return changed, [CustomerChanged(changed, before=self.details)]


@dataclass(frozen=True)
class CreditPosition:
    """What credit control needs of a customer: its limit (None: no limit), in the customer's
    currency, and what it owes on open invoices in each currency billing reported (none at 0)."""

    credit_limit: Money | None
    open_balances: tuple[Money, ...] = ()


@dataclass(frozen=True)
class CustomerFilter:
    """Filters of a customer list; empty means any."""

    name_prefix: str = ""
    name_contains: str = ""
    customer_group: str = ""


def open_account(
    customer_id: str, entered: CustomerInput, now: datetime, actor: str
) -> tuple[Customer, list[CustomerEvent]]:
    """A new account, once its input is valid."""
    customer = Customer(
        id=customer_id,
        details=check_input(entered),
        created_at=now,
        created_by=actor,
        updated_at=now,
        updated_by=actor,
    )
    return customer, [CustomerRegistered(customer)]


def credit_position(
    currency: str, credit_limit: Decimal | None, balances: dict[str, Decimal]
) -> CreditPosition:
    """The limit in the customer's `currency`, and every balance owed, by currency."""
    limit = None if credit_limit is None else Money(credit_limit, currency).trimmed()
    owed = tuple(Money(balances[c], c).trimmed() for c in sorted(balances) if balances[c])
    return CreditPosition(limit, owed)


def finance_changes(before: Details | None, after: Details) -> list[str]:
    """The finance-only fields `after` sets differently (for a new account: sets at all, but
    the payment terms a new account is opened with)."""
    if before is None:
        opened = {
            "credit_limit": after.credit_limit is not None,
            "tax_exemption": after.tax_exemption,
        }
        return [name for name, given in opened.items() if given]
    return [name for name in FINANCE_FIELDS if getattr(before, name) != getattr(after, name)]


def recorded(details: Details) -> dict[str, Any]:
    """The account's fields as the change log keeps them (money as "5000.00 EUR")."""
    found: dict[str, Any] = {}
    for f in fields(details):
        value = getattr(details, f.name)
        if isinstance(value, Money):
            value = str(value)
        elif isinstance(value, Address):
            value = value.as_dict()
        elif f.name == "contacts":
            value = [vars(c) for c in value]
        found[f.name] = value
    return found
