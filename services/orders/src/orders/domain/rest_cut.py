"""What cancelling the rest of an order that shipped part keeps: each order line what it shipped,
and its priced document the same, line by line -- a kit sold as one line the number of whole kits
whose parts have all shipped. A kit shipped in part (some of a kit's parts, not all) cannot be cut:
the order desk ships or returns the rest of its parts first. Plain Python."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from orders.domain.lines import Line
from pricing.document import DocumentLine, PricedDocument, kit_part_line_id
from servicekit.errors import FailedPrecondition, FieldViolation


@dataclass(frozen=True)
class RestCut:
    """The new quantities: per order line id (what it shipped), and per document line id (what
    shipped of it; a kit: its whole kits shipped). Lines left whole are not named."""

    lines: dict[str, int]
    document: dict[str, int]


def rest_cut(order_id: str, lines: Sequence[Line], document: PricedDocument | None) -> RestCut:
    """The cut that keeps only what shipped; FailedPrecondition naming a kit shipped in part.
    Document lines that are not picked (services, free text) stay as they are."""
    cut = {x.id: x.shipped for x in lines if x.quantity > x.shipped}
    if document is None:
        return RestCut(cut, {})
    shipped = {x.id: x.shipped for x in lines}
    kept: dict[str, int] = {}
    for line in document.lines:
        if line.kit_parts:
            kits = _whole_kits(order_id, line, shipped)
            if kits < line.units:
                kept[line.line_id] = kits
        elif line.line_id in cut:
            kept[line.line_id] = cut[line.line_id]
    return RestCut(cut, kept)


def _whole_kits(order_id: str, kit: DocumentLine, shipped: dict[str, int]) -> int:
    """The kits whose parts have all shipped, when no part shipped beyond them."""
    parts = [
        (part, shipped.get(kit_part_line_id(kit.line_id, part.product_id), 0))
        for part in kit.kit_parts
    ]
    whole = min(units // part.quantity for part, units in parts)
    beyond = [f"{part.sku} {units}" for part, units in parts if units != whole * part.quantity]
    if beyond:
        what = f"kit {kit.sku or kit.description}"
        raise FailedPrecondition(
            f"order {order_id}: {what} shipped in part ({', '.join(beyond)} of its parts shipped, "
            f"{whole} whole): ship or return the rest of its parts first",
            (FieldViolation(f"lines[{kit.line_id}]", f"{what} shipped in part"),),
        )
    return whole
