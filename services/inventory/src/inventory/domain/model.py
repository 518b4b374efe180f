"""Where an order's stock comes from. Plain Python: no I/O."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

# warehouse id -> product id -> units available (on hand minus reserved)
Availability = Mapping[str, Mapping[str, int]]


@dataclass(frozen=True)
class Shortage:
    product_id: str
    requested: int
    available: int


def needs(lines: Sequence[tuple[str, int]]) -> Counter[str]:
    """Units needed per product (a product may appear on several lines)."""
    total: Counter[str] = Counter()
    for product_id, quantity in lines:
        total[product_id] += quantity
    return total


def candidate_warehouses(
    lines: Sequence[tuple[str, int]], availability: Availability, priority: Sequence[str]
) -> list[str]:
    """Warehouses that can ship every line on their own, in priority order.

    Availability is a snapshot: the reservation itself re-checks each unit atomically."""
    wanted = needs(lines)
    return [
        warehouse
        for warehouse in priority
        if all(availability.get(warehouse, {}).get(p, 0) >= q for p, q in wanted.items())
    ]


def shortages(lines: Sequence[tuple[str, int]], availability: Availability) -> list[Shortage]:
    """For each product the warehouses together cannot supply, what they have in all."""
    found = []
    for product_id, quantity in needs(lines).items():
        total = sum(max(0, stock.get(product_id, 0)) for stock in availability.values())
        if total < quantity:
            found.append(Shortage(product_id, quantity, total))
    return found


def rejection_reason(found: Sequence[Shortage], skus: Mapping[str, str]) -> str:
    if not found:
        return "no single warehouse can ship the whole order"
    return "insufficient stock for " + "; ".join(
        f"{skus.get(s.product_id, s.product_id)}: requested {s.requested}, available {s.available}"
        for s in found
    )
