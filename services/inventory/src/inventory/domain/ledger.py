"""The rules of an order line's ledger, of shipments and of reorder points. Plain Python: no I/O.

A line's units are always accounted for: wanted = consumed + reserved + backordered, where
reserved units sit in warehouses, consumed ones left with a shipment and backordered ones wait
for stock. Released units are history: they were reserved once and let go."""

from __future__ import annotations

from dataclasses import dataclass

from servicekit.errors import FailedPrecondition, InvalidArgument


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


# A shipment only moves forward, one step at a time.
SHIPMENT_FLOW = ("dispatched", "in_transit", "delivered")


def next_shipment_status(current: str, requested: str) -> bool:
    """True when the shipment moves from `current` to `requested`; False when it is there
    already (a retried request changes nothing)."""
    if requested not in SHIPMENT_FLOW[1:]:
        raise InvalidArgument.of("status", "in_transit or delivered")
    if requested == current:
        return False
    if current not in SHIPMENT_FLOW or SHIPMENT_FLOW.index(requested) != (
        SHIPMENT_FLOW.index(current) + 1
    ):
        raise FailedPrecondition(f"a shipment cannot go from {current} to {requested}")
    return True


@dataclass(frozen=True)
class LowStockCheck:
    low: bool
    # True only on the change that crossed below the reorder point.
    announce: bool


def low_stock(was_low: bool, available: int, reorder_point: int) -> LowStockCheck:
    """Available stock below a (non-zero) reorder point is low; it is announced once per
    crossing: again only after it has been back at or above the point."""
    low = reorder_point > 0 and available < reorder_point
    return LowStockCheck(low, low and not was_low)
