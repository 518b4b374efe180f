"""A priced document: the groups of lines a quote comes to, with the terms they were priced
under and the engine's breakdown of every figure. Plain Python.

Lines carry what documents need to travel (line ids, products, kit parts, price rules); their
quantities and unit prices are Decimals, their terms as entered (quoting.domain.terms). The
breakdown is the pricing engine's own (pricing.engine.Breakdown), one priced line per line in
document order.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from pricing import engine
from pricing.money import InvalidMoney, check_currency
from quoting.domain.terms import (
    Discount,
    PricingPolicy,
    ShippingCharge,
    TaxRate,
    engine_discount,
    engine_policy,
    engine_shipping,
    engine_taxes,
)
from servicekit.errors import InvalidArgument


@dataclass(frozen=True)
class KitPart:
    product_id: str
    sku: str
    quantity: int


@dataclass(frozen=True)
class DocumentLine:
    line_id: str
    description: str
    quantity: Decimal
    unit_price: Decimal
    # "entered", or the catalog's rule ("list price", a price list's name...).
    price_rule: str
    product_id: str = ""
    sku: str = ""
    kind: str = ""  # "stocked", "service" or "kit"; empty for free text
    kit_parts: tuple[KitPart, ...] = ()
    discount: Discount = field(default_factory=Discount)
    taxes: tuple[TaxRate, ...] = ()


@dataclass(frozen=True)
class DocumentGroup:
    name: str
    lines: tuple[DocumentLine, ...]
    discount: Discount = field(default_factory=Discount)
    taxes: tuple[TaxRate, ...] = ()


@dataclass(frozen=True)
class PricedDocument:
    currency: str
    groups: tuple[DocumentGroup, ...]
    shipping: tuple[ShippingCharge, ...]
    policy: PricingPolicy
    breakdown: engine.Breakdown

    @property
    def lines(self) -> Iterator[DocumentLine]:
        return (line for group in self.groups for line in group.lines)

    def figures(self) -> Iterator[tuple[DocumentLine, engine.PricedLine]]:
        """Each line with its figures from the breakdown."""
        return zip(self.lines, self.breakdown.lines, strict=True)

    @property
    def total(self) -> Decimal:
        return self.breakdown.total


def engine_document(
    currency: str,
    groups: tuple[DocumentGroup, ...],
    shipping: tuple[ShippingCharge, ...],
    policy: PricingPolicy,
) -> engine.Document:
    """The engine's document; InvalidArgument names the first field it cannot use."""
    try:
        check_currency(currency)
    except InvalidMoney as error:
        raise InvalidArgument.of("currency", str(error)) from error
    rounding = engine_policy(policy)
    engine_groups = [
        engine.Group(
            group.name,
            tuple(_engine_line(f"groups[{g}].lines[{i}]", x) for i, x in enumerate(group.lines)),
            engine_discount(f"groups[{g}].discount", group.discount),
            engine_taxes(f"groups[{g}].taxes", group.taxes),
        )
        for g, group in enumerate(groups)
    ]
    return engine.Document(
        currency,
        tuple(engine_groups),
        engine_shipping(shipping),
        policy.prices_include_tax,
        rounding,
    )


def _engine_line(at: str, line: DocumentLine) -> engine.Line:
    if line.quantity <= 0:
        raise InvalidArgument.of(f"{at}.quantity", "must be greater than 0")
    if line.unit_price < 0:
        raise InvalidArgument.of(f"{at}.unit_price", "must not be negative")
    discount = engine_discount(f"{at}.discount", line.discount)
    taxes = engine_taxes(f"{at}.taxes", line.taxes)
    return engine.Line(line.description, line.quantity, line.unit_price, discount, taxes)


def price_document(
    currency: str,
    groups: tuple[DocumentGroup, ...],
    shipping: tuple[ShippingCharge, ...],
    policy: PricingPolicy,
) -> PricedDocument:
    """The document with the breakdown the engine computes for it."""
    breakdown = engine.price(engine_document(currency, groups, shipping, policy))
    return PricedDocument(currency, groups, shipping, policy, breakdown)
