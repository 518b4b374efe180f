"""What a priced document (an accepted quote's, or a directly placed order's) is picked as: each
stocked product line, and a kit sold as one line by its parts, each on an order line of its own.
Plain Python; the document itself is pricing.document's."""

from __future__ import annotations

from dataclasses import dataclass

from pricing.document import PricedDocument, kit_part_line_id
from pricing.money import Money, parse_amount


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
        quantity = line.units
        if line.kit_parts:
            lines += [
                PickingLine(
                    kit_part_line_id(line.line_id, part.product_id),
                    part.product_id,
                    part.sku,
                    quantity * part.quantity,
                    Money.zero(document.currency),  # the kit's line carries the price
                )
                for part in line.kit_parts
            ]
        elif line.product_id and line.kind != "service":
            unit_price = Money(parse_amount(line.unit_price), document.currency)
            lines.append(PickingLine(line.line_id, line.product_id, line.sku, quantity, unit_price))
    return lines
