"""Where an order's stock comes from, and how much of a product can be sold now. Plain Python:
no I/O."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

from inventory.domain.events import Shortage

# warehouse id -> product id -> units available (on hand minus reserved)
Availability = Mapping[str, Mapping[str, int]]


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


def sellable(per_unit: Mapping[str, int], availability: Availability) -> list[tuple[str, int]]:
    """(warehouse id, whole units) for every warehouse holding any of `per_unit`'s products, by
    id. `per_unit` maps each product to the units one sold unit takes: {product: 1} for a
    product of its own, a kit's components for a kit, which has as many there as its scarcest
    component allows (the least of available // units per kit)."""
    found = []
    for warehouse in sorted(availability):
        have = availability[warehouse]
        if not any(product in have for product in per_unit):
            continue
        units = min((max(0, have.get(p, 0)) // max(1, n) for p, n in per_unit.items()), default=0)
        found.append((warehouse, units))
    return found
