"""What every input is held to, so that nothing reaches a column it does not fit: a fault names
its field (INVALID_ARGUMENT), never a database error. Plain Python."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from pricing.document import Discount, PricedDocument
from pricing.money import InvalidMoney, parse_input_amount, storable
from servicekit import bounds
from servicekit.errors import InvalidArgument, Violations

# Product, warehouse and SKU columns.
MAX_CODE = 64
MAX_NAME = 200
MAX_EMAIL = 320
# Payment terms: a purchase order keeps them, whether from the supplier or a proposal.
MAX_TERMS = 500
MAX_DESCRIPTION = 2000
MAX_NOTES = 5000
# Units of one line, as every service bounds them.
MAX_QUANTITY = bounds.MAX_QUANTITY


@dataclass(frozen=True)
class EnteredMoney:
    """A price as a client entered it: decimal text and the currency it names."""

    amount: str
    currency: str


def amount(text: str, field: str, problems: Violations) -> Decimal:
    """A price a client enters: a plain decimal, not negative, that a money column can keep."""
    try:
        value = parse_input_amount(text)
    except InvalidMoney as error:
        problems.add(field, str(error))
        return Decimal(0)
    if value < 0:
        problems.add(field, "must not be negative")
    return value


def text(value: str, field: str, limit: int, problems: Violations, required: bool = False) -> None:
    if required and not value.strip():
        problems.add(field, "required")
    elif len(value) > limit:
        problems.add(field, f"at most {limit} characters")


def quantity(value: int, field: str, problems: Violations) -> None:
    """Whole units of one line."""
    if not 0 < value <= MAX_QUANTITY:
        problems.add(field, f"between 1 and {MAX_QUANTITY}")


def discount(given: Discount, field: str, problems: Violations) -> None:
    """A discount's amount, when it has one, like a price (its percent is the engine's)."""
    if given.amount:
        amount(given.amount, f"{field}.amount", problems)


def storable_total(document: PricedDocument, field: str) -> None:
    """InvalidArgument on `field` when the document's total does not fit a money column."""
    total = document.total.amount
    if not storable(total):
        raise InvalidArgument.of(field, f"the total, {total}, has more than 12 digits")
