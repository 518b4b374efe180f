"""Customers as billing knows them -- their name and payment terms, copied from the orders
service's events -- and the credit a customer holds: from payments no invoice took, credit notes
an invoice could not take and payments taken back; paid out onto invoices. Plain Python."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from pricing.money import Money
from servicekit.errors import InvalidArgument, Violations


@dataclass(frozen=True)
class Customer:
    """What billing knows of a customer account: its name, payment terms, tax id and billing
    address (line1, line2, city, postal_code, country, state), as invoices name the buyer."""

    customer_id: str
    name: str
    payment_terms: str
    tax_id: str = ""
    billing_address: Mapping[str, str] | None = None


def credit_to_apply(asked: Money | None, balance: Money, credit: Money) -> Money:
    """What to pay out of the customer's credit onto an invoice: as asked (in the invoice's
    currency, at most its balance and the credit), else as much as both allow."""
    problems = Violations()
    if asked is None:
        asked = min(balance, credit)
        if asked.amount <= 0:
            raise InvalidArgument.of(
                "amount", f"nothing to apply: credit {credit.rounded()}, balance {balance}"
            )
    elif asked.currency != balance.currency:
        problems.add("amount.currency", f"must be the invoice's currency, {balance.currency}")
    else:
        if asked.amount > balance.amount:
            problems.add("amount", f"exceeds the invoice's balance of {balance}")
        if asked.amount > credit.amount:
            problems.add("amount", f"exceeds the customer's credit of {credit.rounded()}")
    problems.raise_if_any()
    return asked.rounded()
