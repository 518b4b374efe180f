"""Where an order's stock comes from. Plain Python: no I/O."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from servicekit.errors import Violations

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
    """For each product no single warehouse can supply, the best any one warehouse offers."""
    found = []
    for product_id, quantity in needs(lines).items():
        best = max((stock.get(product_id, 0) for stock in availability.values()), default=0)
        if best < quantity:
            found.append(Shortage(product_id, quantity, best))
    return found


def rejection_reason(found: Sequence[Shortage], skus: Mapping[str, str]) -> str:
    if not found:
        return "no single warehouse can ship the whole order"
    return "insufficient stock for " + "; ".join(
        f"{skus.get(s.product_id, s.product_id)}: requested {s.requested}, available {s.available}"
        for s in found
    )


def check_warehouse(code: str, name: str) -> None:
    problems = Violations()
    if not code or len(code) > 32 or not code.replace("-", "").replace("_", "").isalnum():
        problems.add("code", "1-32 letters, digits, '-' or '_'")
    if not name.strip():
        problems.add("name", "must not be empty")
    problems.raise_if_any()


def check_adjustment(warehouse_id: str, product_id: str, delta: int, reason: str) -> None:
    problems = Violations()
    if not warehouse_id:
        problems.add("warehouse_id", "required")
    if not product_id:
        problems.add("product_id", "required")
    if delta == 0:
        problems.add("quantity_delta", "must not be 0")
    if not reason.strip():
        problems.add("reason", "say why the stock changes")
    problems.raise_if_any()
