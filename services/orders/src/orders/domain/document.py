"""A priced document (an accepted quote's, or an order with kits): the pricing engine's plain
types with what a line needs to travel and be picked (its id, product, kind, kit parts).

Plain Python. The engine prices `engine_document()`; `breakdown` is what it gave, copied with the
document from quote to order to invoice, and `verify` proves a copy's figures are the engine's.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from pricing.engine import (
    Breakdown,
    Discount,
    Document,
    Group,
    Line,
    RoundingPolicy,
    Shipping,
    Tax,
    check,
    price,
)
from pricing.money import Money


@dataclass(frozen=True)
class KitPart:
    """What one kit sold as a single line holds of a product."""

    product_id: str
    sku: str
    quantity: int


@dataclass(frozen=True)
class DocumentLine:
    line_id: str
    # Empty for a free-text line (a fee).
    product_id: str
    sku: str
    description: str
    quantity: Decimal
    unit_price: Decimal
    # None: the line states no discount.
    discount: Discount | None = None
    taxes: tuple[Tax, ...] = ()
    kit_parts: tuple[KitPart, ...] = ()
    price_rule: str = ""
    # "stocked", "service" or "kit"; empty for a free-text line.
    kind: str = ""

    def engine_line(self) -> Line:
        return Line(
            self.description,
            self.quantity,
            self.unit_price,
            self.discount or Discount(),
            self.taxes,
        )


@dataclass(frozen=True)
class DocumentGroup:
    name: str
    lines: tuple[DocumentLine, ...]
    discount: Discount | None = None
    taxes: tuple[Tax, ...] = ()


@dataclass(frozen=True)
class PricedDocument:
    currency: str
    groups: tuple[DocumentGroup, ...]
    shipping: tuple[Shipping, ...] = ()
    # None: the document states no policy, so the engine's default applies.
    policy: RoundingPolicy | None = None
    prices_include_tax: bool = False
    # What the engine computed for it; None until priced.
    breakdown: Breakdown | None = None

    @property
    def lines(self) -> list[DocumentLine]:
        return [line for group in self.groups for line in group.lines]

    @property
    def total(self) -> Money:
        assert self.breakdown is not None, "an unpriced document has no total"
        return Money(self.breakdown.total, self.currency)

    def engine_document(self) -> Document:
        return Document(
            self.currency,
            tuple(
                Group(
                    g.name,
                    tuple(x.engine_line() for x in g.lines),
                    g.discount or Discount(),
                    g.taxes,
                )
                for g in self.groups
            ),
            self.shipping,
            self.prices_include_tax,
            self.policy or RoundingPolicy(),
        )

    def priced(self) -> PricedDocument:
        """The document with the breakdown the engine computes for it."""
        return replace(self, breakdown=price(self.engine_document()))

    def verify(self) -> Breakdown:
        """Recomputes the document and proves its breakdown agrees, figure by figure; raises
        pricing.engine.BreakdownMismatch naming each figure that does not."""
        assert self.breakdown is not None, "an unpriced document has nothing to verify"
        return check(self.engine_document(), self.breakdown)


@dataclass(frozen=True)
class PickingLine:
    """A line of goods to pick for a document: a stocked product, or a kit's part."""

    line_id: str
    product_id: str
    sku: str
    quantity: int
    unit_price: Money


def picking_lines(document: PricedDocument) -> list[PickingLine]:
    """What is to be picked: each stocked product line, and a kit's parts in place of the kit.
    Service and free-text lines are not picked."""
    lines: list[PickingLine] = []
    for line in document.lines:
        quantity = _units(line.quantity)
        if line.kit_parts:
            lines += [
                PickingLine(
                    str(uuid.uuid5(uuid.NAMESPACE_URL, f"{line.line_id}/{part.product_id}")),
                    part.product_id,
                    part.sku,
                    quantity * part.quantity,
                    Money.zero(document.currency),  # the kit's line carries the price
                )
                for part in line.kit_parts
            ]
        elif line.product_id and line.kind != "service":
            unit_price = Money(line.unit_price, document.currency)
            lines.append(PickingLine(line.line_id, line.product_id, line.sku, quantity, unit_price))
    return lines


def _units(quantity: Decimal) -> int:
    if quantity != quantity.to_integral_value():
        raise ValueError(f"{quantity} is not a whole number of units to pick")
    return int(quantity)


@dataclass(frozen=True)
class KitSale:
    """An order line as sold when the order holds a kit: the product at its list price."""

    line_id: str
    product_id: str
    sku: str
    quantity: int
    unit_price: Decimal
    kit_parts: Sequence[KitPart]


def kit_document(currency: str, sales: Sequence[KitSale]) -> PricedDocument:
    """An order with a kit is a priced document: the kit is sold as one line at its own price and
    picked by its components (as an order made from a quote is)."""
    lines = tuple(
        DocumentLine(
            line_id=sale.line_id,
            product_id=sale.product_id,
            sku=sale.sku,
            description=sale.sku,
            quantity=Decimal(sale.quantity),
            unit_price=sale.unit_price,
            kit_parts=tuple(sale.kit_parts),
            price_rule="list price",
            kind="kit" if sale.kit_parts else "stocked",
        )
        for sale in sales
    )
    return PricedDocument(currency, (DocumentGroup("Items", lines),)).priced()
