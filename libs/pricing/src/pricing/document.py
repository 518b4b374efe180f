"""A priced document in plain Python -- groups of lines with discounts and taxes, shipping charges
and a pricing policy -- with the breakdown the engine (pricing.engine) computed for it. A quote,
the sales order or invoice made from it, and a purchase order are each one of these.

Every figure entered (quantities, unit prices, discounts, rates, shipping amounts) stays the
decimal text it was given, so a document is kept, sent and read back exactly as it was priced;
the breakdown is the engine's own, written as plain decimal text (`figure_text`). A discount or
a policy may be left unstated (None): the engine reads it as none or as the default, and it stays
unstated on the wire. The wire form, oms.types.v1.PricedDocument, is pricing.wire's.

`price_document` prices a document and `verify` proves a copy's figures are the engine's; both
refuse what the engine cannot use with InvalidDocument, naming the field as a client sent it
("groups[0].lines[2].quantity"), the first one at fault.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from pricing import engine
from pricing.money import InvalidMoney, Money, Rounding, check_currency, parse_amount
from servicekit.errors import FieldViolation, InvalidArgument

ROUNDING_NAMES = {Rounding.HALF_UP: "half_up", Rounding.HALF_EVEN: "half_even"}
_ROUNDINGS = {name: rounding for rounding, name in ROUNDING_NAMES.items()}


class InvalidDocument(InvalidArgument):
    """A document the engine cannot price or a copy whose figures cannot be read; `field` names
    the part at fault and `description` what is wrong with it."""

    def __init__(self, field: str, description: str) -> None:
        super().__init__(f"{field}: {description}", (FieldViolation(field, description),))
        self.field = field
        self.description = description


# The terms, as entered.


@dataclass(frozen=True)
class TaxRate:
    code: str  # e.g. "VAT19"
    rate: str  # "0.19" for 19 %


@dataclass(frozen=True)
class Discount:
    """A percentage ("10" = 10 %) and/or an amount, taken off after the percentage; empty: none."""

    percent: str = ""
    amount: str = ""


@dataclass(frozen=True)
class ShippingCharge:
    description: str
    amount: str
    taxes: tuple[TaxRate, ...] = ()  # empty: not taxable


@dataclass(frozen=True)
class PricingPolicy:
    """Empty texts: per line, half up."""

    rounding_mode: str = ""  # "per_line" or "per_document"
    rounding: str = ""  # "half_up" or "half_even"
    prices_include_tax: bool = False  # unit prices and shipping include their taxes


# The document.


@dataclass(frozen=True)
class KitPart:
    """What one kit sold as a single line holds of a product."""

    product_id: str
    sku: str
    quantity: int


@dataclass(frozen=True)
class DocumentLine:
    # Stable within the document and every document copied from it.
    line_id: str
    # Empty for a free-text line (a service, a fee).
    product_id: str
    sku: str
    description: str
    quantity: str
    # Per unit, tax-exclusive or tax-inclusive as the policy says.
    unit_price: str
    # None: the line states no discount.
    discount: Discount | None = None
    taxes: tuple[TaxRate, ...] = ()
    # For a kit sold as one line: what one kit is made of.
    kit_parts: tuple[KitPart, ...] = ()
    # Where the unit price came from: "entered", a price list, a contract, a proposal...
    price_rule: str = ""
    # "stocked", "service" or "kit"; empty for a free-text line.
    kind: str = ""

    @property
    def units(self) -> int:
        """The quantity in whole units, as goods are picked and billed; ValueError otherwise."""
        quantity = parse_amount(self.quantity)
        if quantity != quantity.to_integral_value():
            raise ValueError(f"{self.quantity} is not a whole number of units")
        return int(quantity)


@dataclass(frozen=True)
class DocumentGroup:
    name: str
    lines: tuple[DocumentLine, ...]
    # Shared over the group's lines after their own discounts; None: none stated.
    discount: Discount | None = None
    # Apply to every line of the group, on top of each line's own.
    taxes: tuple[TaxRate, ...] = ()


@dataclass(frozen=True)
class PricedDocument:
    currency: str  # ISO 4217; every amount is in it
    groups: tuple[DocumentGroup, ...]
    shipping: tuple[ShippingCharge, ...] = ()
    # None: the document states no policy, so the default applies (per line, half up).
    policy: PricingPolicy | None = None
    # What the engine computed, one priced line per line in document order; None until priced.
    breakdown: engine.Breakdown | None = None
    # Why a taxable document carries no tax (the customer's exemption), printed on it.
    tax_exemption: str = ""

    @property
    def lines(self) -> list[DocumentLine]:
        """Every line, group after group."""
        return [line for group in self.groups for line in group.lines]

    @property
    def prices_include_tax(self) -> bool:
        return self.policy is not None and self.policy.prices_include_tax

    @property
    def figures(self) -> engine.Breakdown:
        """The breakdown; InvalidDocument on `breakdown` for a document not priced yet."""
        if self.breakdown is None:
            raise InvalidDocument("breakdown", "required: the document is not priced")
        return self.breakdown

    def lines_with_figures(self) -> Iterator[tuple[DocumentLine, engine.PricedLine]]:
        """Each line with its own figures from the breakdown."""
        return zip(self.lines, self.figures.lines, strict=True)

    @property
    def total(self) -> Money:
        return Money(self.figures.total, self.currency)


def price_document(document: PricedDocument) -> PricedDocument:
    """The document with the breakdown the engine computes for it; InvalidDocument naming the
    discount that takes more than its line or group."""
    priceable = engine_document(document)
    try:
        return replace(document, breakdown=engine.price(priceable))
    except engine.ExcessiveDiscount as error:
        raise _refused(error) from error


def verify(document: PricedDocument) -> engine.Breakdown:
    """Recomputes the document and proves its breakdown agrees, figure by figure: raises
    pricing.engine.BreakdownMismatch naming each figure that does not, InvalidDocument for a
    document that cannot be priced or has no breakdown."""
    priceable = engine_document(document)
    try:
        return engine.check(priceable, document.figures)
    except engine.ExcessiveDiscount as error:
        raise _refused(error) from error


def _refused(error: engine.ExcessiveDiscount) -> InvalidDocument:
    at = f"groups[{error.group}]" + ("" if error.line is None else f".lines[{error.line}]")
    what = "its group after the lines' own discounts" if error.line is None else "its line"
    return InvalidDocument(
        f"{at}.discount",
        f"takes {figure_text(error.taken)} off {what}, which comes to {figure_text(error.base)}",
    )


def kit_part_line_id(kit_line_id: str, product_id: str) -> str:
    """The order line a kit's part is picked on: the same for every service that meets it."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{kit_line_id}/{product_id}"))


def figure_text(value: Decimal) -> str:
    """A figure as plain decimal text: str() would write a zero with many places as "0E-8"."""
    return format(value, "f")


# The engine's view of a document, each figure read from its text.


def decimal_at(field: str, text: str, *, empty_is_zero: bool = False) -> Decimal:
    """The amount `text` says, or InvalidDocument on `field`."""
    if not text and empty_is_zero:
        return Decimal(0)
    try:
        return parse_amount(text)
    except InvalidMoney as error:
        raise InvalidDocument(field, str(error)) from error


def rounding_policy(policy: PricingPolicy | None, at: str = "policy") -> engine.RoundingPolicy:
    stated = policy or PricingPolicy()
    try:
        mode = engine.RoundingMode(stated.rounding_mode or engine.RoundingMode.PER_LINE.value)
    except ValueError as error:
        raise InvalidDocument(f"{at}.rounding_mode", "per_line or per_document") from error
    rounding = _ROUNDINGS.get(stated.rounding or "half_up")
    if rounding is None:
        raise InvalidDocument(f"{at}.rounding", "half_up or half_even")
    return engine.RoundingPolicy(mode, rounding)


def engine_document(document: PricedDocument) -> engine.Document:
    """The engine's document; InvalidDocument names the first field it cannot use."""
    try:
        check_currency(document.currency)
    except InvalidMoney as error:
        raise InvalidDocument("currency", str(error)) from error
    policy = rounding_policy(document.policy)
    groups = tuple(_group(group, f"groups[{g}]") for g, group in enumerate(document.groups))
    shipping = tuple(
        _shipping(charge, f"shipping[{s}]") for s, charge in enumerate(document.shipping)
    )
    return engine.Document(document.currency, groups, shipping, document.prices_include_tax, policy)


def _group(group: DocumentGroup, at: str) -> engine.Group:
    lines = tuple(_line(line, f"{at}.lines[{i}]") for i, line in enumerate(group.lines))
    discount = _discount(group.discount, f"{at}.discount")
    return engine.Group(group.name, lines, discount, _taxes(group.taxes, f"{at}.taxes"))


def _line(line: DocumentLine, at: str) -> engine.Line:
    quantity = decimal_at(f"{at}.quantity", line.quantity)
    unit_price = decimal_at(f"{at}.unit_price", line.unit_price)
    if quantity <= 0:
        raise InvalidDocument(f"{at}.quantity", "must be greater than 0")
    if unit_price < 0:
        raise InvalidDocument(f"{at}.unit_price", "must not be negative")
    discount = _discount(line.discount, f"{at}.discount")
    taxes = _taxes(line.taxes, f"{at}.taxes")
    return engine.Line(line.description, quantity, unit_price, discount, taxes)


def _discount(discount: Discount | None, at: str) -> engine.Discount:
    stated = discount or Discount()
    percent = decimal_at(f"{at}.percent", stated.percent, empty_is_zero=True)
    amount = decimal_at(f"{at}.amount", stated.amount, empty_is_zero=True)
    if not 0 <= percent <= 100:
        raise InvalidDocument(f"{at}.percent", "between 0 and 100")
    if amount < 0:
        raise InvalidDocument(f"{at}.amount", "must not be negative")
    return engine.Discount(percent, amount)


def _taxes(taxes: Sequence[TaxRate], at: str) -> tuple[engine.Tax, ...]:
    found = []
    for i, tax in enumerate(taxes):
        rate = decimal_at(f"{at}[{i}].rate", tax.rate)
        if not tax.code or not 0 <= rate < 10:
            raise InvalidDocument(f"{at}[{i}]", "a code and a rate between 0 and 10 (0.19 = 19 %)")
        found.append(engine.Tax(tax.code, rate))
    return tuple(found)


def _shipping(charge: ShippingCharge, at: str) -> engine.Shipping:
    amount = decimal_at(f"{at}.amount", charge.amount)
    if amount < 0:
        raise InvalidDocument(f"{at}.amount", "must not be negative")
    return engine.Shipping(charge.description, amount, _taxes(charge.taxes, f"{at}.taxes"))
