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


def check_warehouse(code: str, name: str, priority: int = 0) -> None:
    problems = Violations()
    if not -1_000_000 <= priority <= 1_000_000:
        problems.add("priority", "between -1000000 and 1000000")
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


def _check_units(problems: Violations, field: str, quantity: int) -> None:
    if not 0 < quantity <= 1_000_000_000:
        problems.add(field, "between 1 and 1000000000")


def check_receipt(warehouse_id: str, lines: Sequence[tuple[str, int]]) -> None:
    problems = Violations()
    if not warehouse_id:
        problems.add("warehouse_id", "required")
    if not lines:
        problems.add("lines", "at least one line")
    for i, (product_id, quantity) in enumerate(lines):
        if not product_id or len(product_id) > 64:
            problems.add(f"lines[{i}].product_id", "1-64 characters")
        _check_units(problems, f"lines[{i}].quantity", quantity)
    problems.raise_if_any()


def check_expectation(
    purchase_order_id: str, warehouse_id: str, lines: Sequence[tuple[str, int]]
) -> None:
    problems = Violations()
    if not purchase_order_id or len(purchase_order_id) > 64:
        problems.add("purchase_order_id", "1-64 characters")
    if not warehouse_id:
        problems.add("warehouse_id", "required")
    seen: set[str] = set()
    for i, (product_id, quantity) in enumerate(lines):
        if not product_id or len(product_id) > 64:
            problems.add(f"lines[{i}].product_id", "1-64 characters")
        elif product_id in seen:
            problems.add(f"lines[{i}].product_id", "named on an earlier line")
        seen.add(product_id)
        _check_units(problems, f"lines[{i}].quantity", quantity)
    problems.raise_if_any()


def check_transfer(source: str, target: str, product_id: str, quantity: int) -> None:
    problems = Violations()
    if not source:
        problems.add("from_warehouse_id", "required")
    if not target:
        problems.add("to_warehouse_id", "required")
    elif target == source:
        problems.add("to_warehouse_id", "must differ from from_warehouse_id")
    if not product_id:
        problems.add("product_id", "required")
    _check_units(problems, "quantity", quantity)
    problems.raise_if_any()


def check_reorder_point(product_id: str, warehouse_id: str, reorder_point: int) -> None:
    problems = Violations()
    if not product_id or len(product_id) > 64:
        problems.add("product_id", "1-64 characters")
    if not warehouse_id:
        problems.add("warehouse_id", "required")
    if not 0 <= reorder_point <= 1_000_000_000:
        problems.add("reorder_point", "between 0 and 1000000000")
    problems.raise_if_any()


def check_shipment(
    order_id: str, warehouse_id: str, carrier: str, lines: Sequence[tuple[str, int]]
) -> None:
    problems = Violations()
    for field, value in (
        ("order_id", order_id),
        ("warehouse_id", warehouse_id),
        ("carrier", carrier),
    ):
        if not value.strip():
            problems.add(field, "required")
    seen: set[str] = set()
    for i, (line_id, quantity) in enumerate(lines):
        if not line_id:
            problems.add(f"lines[{i}].line_id", "required")
        elif line_id in seen:
            problems.add(f"lines[{i}].line_id", "named on an earlier line")
        seen.add(line_id)
        _check_units(problems, f"lines[{i}].quantity", quantity)
    problems.raise_if_any()
