"""Which warehouse gives how many units to which order line. Plain Python: no I/O.

Every function works on a snapshot of what is available, taken under the products' locks, and
never hands out more than that snapshot holds."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal, get_args

from inventory.domain.availability import Availability, candidate_warehouses

# "priority": each line from the first warehouse (by priority) that holds all of it, else split
#             over the warehouses in priority order;
# "single":   the whole order from the first warehouse that holds all of it, else "split";
# "split":    each line takes what it can from each warehouse in priority order.
Policy = Literal["priority", "single", "split"]
POLICIES: tuple[str, ...] = get_args(Policy)


@dataclass(frozen=True)
class Demand:
    """Units an order line wants (more of)."""

    line_id: str
    product_id: str
    quantity: int


@dataclass(frozen=True)
class Allocation:
    """Units of one order line held in one warehouse."""

    line_id: str
    product_id: str
    warehouse_id: str
    quantity: int


@dataclass(frozen=True)
class Plan:
    allocations: list[Allocation] = field(default_factory=list)
    # line id -> units no warehouse has now (0 for lines served in full)
    backordered: dict[str, int] = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        return not any(self.backordered.values())

    def allocated(self, line_id: str) -> int:
        return sum(a.quantity for a in self.allocations if a.line_id == line_id)


def warehouse_order(availability: Availability, priority: Sequence[str]) -> list[str]:
    """`priority`, then any warehouse it does not name (by id), each once."""
    order = list(dict.fromkeys(priority))
    return order + sorted(set(availability) - set(order))


def allocate(
    demands: Sequence[Demand],
    availability: Availability,
    priority: Sequence[str],
    policy: Policy,
) -> Plan:
    """Allocates `demands` (in their order) from `availability` by `policy`.

    A line gets min(its quantity, what is left of its product in all warehouses); the rest is
    backordered. A product on two lines is shared: the first line is served first."""
    if policy not in POLICIES:
        raise ValueError(f"unknown allocation policy {policy!r}")
    order = warehouse_order(availability, priority)
    left = {w: {p: max(0, q) for p, q in availability.get(w, {}).items()} for w in order}
    wanted = [d for d in demands if d.quantity > 0]
    plan = Plan(backordered={d.line_id: 0 for d in demands})
    if policy == "single":
        whole = candidate_warehouses([(d.product_id, d.quantity) for d in wanted], left, order)
        if whole:
            plan.allocations.extend(
                Allocation(d.line_id, d.product_id, whole[0], d.quantity) for d in wanted
            )
            return plan
    for demand in wanted:
        need = demand.quantity
        if policy == "priority":
            for warehouse in order:
                if left[warehouse].get(demand.product_id, 0) >= need:
                    left[warehouse][demand.product_id] -= need
                    plan.allocations.append(
                        Allocation(demand.line_id, demand.product_id, warehouse, need)
                    )
                    need = 0
                    break
        for warehouse in order:
            if need == 0:
                break
            take = min(need, left[warehouse].get(demand.product_id, 0))
            if take > 0:
                left[warehouse][demand.product_id] -= take
                plan.allocations.append(
                    Allocation(demand.line_id, demand.product_id, warehouse, take)
                )
                need -= take
        plan.backordered[demand.line_id] += need
    return plan


@dataclass(frozen=True)
class Waiting:
    """Backordered units of one order line, in the queue for its product."""

    order_id: str
    line_id: str
    product_id: str
    quantity: int


@dataclass(frozen=True)
class Fill:
    order_id: str
    line_id: str
    product_id: str
    warehouse_id: str
    quantity: int


def fill_backorders(queue: Sequence[Waiting], available: Sequence[tuple[str, int]]) -> list[Fill]:
    """First come, first served: the head of `queue` (already in placement order) takes what it
    can from the warehouses in `available` (in priority order) before the next line gets any."""
    warehouses = [warehouse for warehouse, _ in available]
    left = [max(0, units) for _, units in available]
    fills: list[Fill] = []
    for waiting in queue:
        if not any(left):
            break
        need = waiting.quantity
        for i, warehouse in enumerate(warehouses):
            take = min(need, left[i])
            if take > 0:
                left[i] -= take
                need -= take
                fills.append(
                    Fill(waiting.order_id, waiting.line_id, waiting.product_id, warehouse, take)
                )
    return fills


def release_from(held: Sequence[tuple[str, int]], units: int) -> list[tuple[str, int]]:
    """Which warehouses give back `units` of a line's reservation: the last in priority order
    first, so the line keeps what its preferred warehouses hold. Never more than is held."""
    released: list[tuple[str, int]] = []
    for warehouse, reserved in reversed(held):
        if units <= 0:
            break
        take = min(units, reserved)
        if take > 0:
            released.append((warehouse, take))
            units -= take
    return released
