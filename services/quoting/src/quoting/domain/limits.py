"""How large a quote may be: every text within what is kept of it, every amount within the
NUMERIC(18,6) money is stored in, quantities and counts within what the suite handles.

Checked before anything is priced or stored, so oversized input is a field error naming the
field, never a database error or an arithmetic one."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from oms.quoting.v1 import quoting_pb2 as pb
from oms.types.v1 import pricing_pb2 as pricing
from pricing.money import LARGEST_AMOUNT, InvalidMoney, parse_input_amount, storable
from servicekit.bounds import MAX_QUANTITY
from servicekit.errors import InvalidArgument, Violations

# One number in the contract, so the gateway refuses what quoting would, with the same limit.
MAX_LINES = pb.QUOTE_LIMIT_MAX_LINES
MAX_GROUPS = MAX_LINES
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


def _discount(problems: Violations, at: str, discount: pricing.Discount) -> None:
    if discount.amount:
        amount_within(problems, f"{at}.amount", discount.amount)


def _taxes(problems: Violations, at: str, taxes: Sequence[pricing.TaxRate]) -> None:
    if len(taxes) > MAX_TAXES:
        problems.add(at, f"at most {MAX_TAXES} taxes")
    for i, tax in enumerate(taxes[:MAX_TAXES]):
        text_within(problems, f"{at}[{i}].code", tax.code, TAX_CODE)


def check_sizes(content: pb.QuoteContent, problems: Violations) -> None:
    """Every text, count and amount of `content` that exceeds its limit, by field."""
    for name, limit in CONTENT_TEXTS.items():
        text_within(problems, name, getattr(content, name), limit)
    if len(content.groups) > MAX_GROUPS:
        problems.add("groups", f"at most {MAX_GROUPS} groups")
    for g, group in enumerate(content.groups[:MAX_GROUPS]):
        at = f"groups[{g}]"
        text_within(problems, f"{at}.name", group.name, GROUP_NAME)
        _discount(problems, f"{at}.discount", group.discount)
        _taxes(problems, f"{at}.taxes", group.taxes)
        for i, line in enumerate(group.lines[:MAX_LINES]):
            _check_line(problems, f"{at}.lines[{i}]", line)
    if len(content.shipping) > MAX_SHIPPING_CHARGES:
        problems.add("shipping", f"at most {MAX_SHIPPING_CHARGES} charges")
    for s, charge in enumerate(content.shipping[:MAX_SHIPPING_CHARGES]):
        at = f"shipping[{s}]"
        text_within(problems, f"{at}.description", charge.description, SHIPPING_DESCRIPTION)
        amount_within(problems, f"{at}.amount", charge.amount)
        _taxes(problems, f"{at}.taxes", charge.taxes)


def _check_line(problems: Violations, at: str, line: pb.LineInput) -> None:
    quantity_within(problems, f"{at}.quantity", line.quantity)
    text_within(problems, f"{at}.sku", line.sku, SKU)
    text_within(problems, f"{at}.description", line.description, LINE_DESCRIPTION)
    _discount(problems, f"{at}.discount", line.discount)
    _taxes(problems, f"{at}.taxes", line.taxes)


def check_totals(document: pricing.PricedDocument) -> None:
    """InvalidArgument (on `groups`) when a figure of the priced document is larger than money
    is stored as: the quote, its order and its invoice could not keep it."""
    figures = document.breakdown
    amounts = [figures.subtotal, figures.discounts, figures.net, figures.shipping, figures.total]
    amounts += [t.base for t in figures.taxes] + [t.amount for t in figures.taxes]
    if not all(storable(Decimal(amount)) for amount in amounts):
        raise InvalidArgument.of(
            "groups", f"the quote comes to more than the largest amount kept, {LARGEST_AMOUNT}"
        )
