"""What a new quantity does to an order line's reservation. Plain Python: no I/O.

A line's units are always accounted for: wanted = consumed + reserved + backordered, where
reserved units sit in warehouses, consumed ones left with a shipment and backordered ones wait
for stock. Released units are history: they were reserved once and let go."""

from __future__ import annotations

from dataclasses import dataclass

from inventory.domain.allocation import Demand


@dataclass(frozen=True)
class LineState:
    consumed: int
    reserved: int
    backordered: int

    @property
    def wanted(self) -> int:
        return self.consumed + self.reserved + self.backordered


@dataclass(frozen=True)
class LineChange:
    """What a new quantity does to a line: drop backorders and release reservations (when it
    shrinks), or ask for more units (when it grows)."""

    drop_backordered: int = 0
    release: int = 0
    more: int = 0
    # The line's quantity once changed: what was asked, but never below what was shipped.
    quantity: int = 0


def change_line(state: LineState, new_quantity: int) -> LineChange:
    """A smaller quantity drops backorders first, then releases reservations; it cannot undo a
    shipment, so the line never goes below what it consumed."""
    target = max(new_quantity, state.consumed)
    if target >= state.wanted:
        return LineChange(more=target - state.wanted, quantity=target)
    cut = state.wanted - target
    drop = min(cut, state.backordered)
    release = min(cut - drop, state.reserved)
    return LineChange(drop_backordered=drop, release=release, quantity=target)


@dataclass(frozen=True)
class Cut:
    """Units a smaller line gives up: backorders dropped and reservations to release."""

    line_id: str
    product_id: str
    drop: int
    release: int


@dataclass(frozen=True)
class Resizing:
    # Units lines want more of (new lines first), to allocate.
    more: list[Demand]
    cuts: list[Cut]
    # Lines the change names with another product (kept as they were placed).
    other_product: list[str]
