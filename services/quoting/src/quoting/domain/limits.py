"""How large a quote may be: every text within what is kept of it, every amount within the
NUMERIC(18,6) money is stored in, quantities and counts within what the suite handles.

Checked before anything is priced or stored, so oversized input is a field error naming the
field, never a database error or an arithmetic one."""

from __future__ import annotations

from decimal import Decimal

from pricing.engine import Breakdown
from pricing.money import LARGEST_AMOUNT, InvalidMoney, parse_input_amount, storable
from servicekit import bounds
from servicekit.errors import InvalidArgument, Violations

# The contract's one number (oms.quoting.v1.QuoteLimit.QUOTE_LIMIT_MAX_LINES), so the gateway
# refuses what quoting would; tests/unit/test_limits.py holds the two equal.
MAX_LINES = 1000
MAX_GROUPS = MAX_LINES
# Quantities of one line, as every service bounds them.
MAX_QUANTITY = bounds.MAX_QUANTITY
MAX_SHIPPING_CHARGES = 100
MAX_TAXES = 20

# Texts of the content, by field: the columns they are kept in, or what a document can print.
CONTENT_TEXTS = {
    "customer_group": 100,
    "salesperson": 200,
    "payment_terms": 500,
    "terms_and_conditions": 20_000,
    "notes": 5_000,
}
GROUP_NAME = 200
LINE_DESCRIPTION = 2_000
SKU = 64
SHIPPING_DESCRIPTION = 500
TAX_CODE = 32
REJECTION_REASON = 2_000
TEMPLATE_NAME = 200
# The creator's team claim, kept with the quote.
TEAM = 100


def text_within(problems: Violations, field: str, value: str, limit: int) -> None:
    if len(value) > limit:
        problems.add(field, f"at most {limit} characters")


def amount_within(problems: Violations, field: str, text: str) -> Decimal | None:
    """The amount, or None after naming the field when it is not one money can be stored as."""
    try:
        return parse_input_amount(text)
    except InvalidMoney as error:
        problems.add(field, str(error))
        return None


def quantity_within(problems: Violations, field: str, quantity: int) -> None:
    if not 1 <= quantity <= MAX_QUANTITY:
        problems.add(field, f"between 1 and {MAX_QUANTITY:,}")


def check_totals(breakdown: Breakdown) -> None:
    """InvalidArgument (on `groups`) when a figure of the priced document is larger than money
    is stored as: the quote, its order and its invoice could not keep it."""
    amounts = [
        breakdown.subtotal,
        breakdown.discounts,
        breakdown.net,
        breakdown.shipping,
        breakdown.total,
    ]
    amounts += [t.base for t in breakdown.taxes] + [t.amount for t in breakdown.taxes]
    if not all(storable(amount) for amount in amounts):
        raise InvalidArgument.of(
            "groups", f"the quote comes to more than the largest amount kept, {LARGEST_AMOUNT}"
        )
