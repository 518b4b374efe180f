"""Goods in: a receipt into a warehouse (against a purchase order when it names one), and what a
purchase order announced. Plain Python: no I/O."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from inventory.domain.events import GoodsReceived, ReceivedLine


@dataclass(frozen=True)
class Receipt:
    id: str
    warehouse_id: str
    # Empty when the goods came without one.
    purchase_order_id: str
    lines: list[ReceivedLine]
    created_at: datetime
    created_by: str

    @property
    def reason(self) -> str:
        """Why the stock ledger's units came in."""
        if self.purchase_order_id:
            return f"received against purchase order {self.purchase_order_id}"
        return "goods received"

    def received(self) -> list[GoodsReceived]:
        return [
            GoodsReceived(self.id, self.purchase_order_id, self.warehouse_id, tuple(self.lines))
        ]


@dataclass(frozen=True)
class ExpectedLine:
    product_id: str
    quantity: int
    received: int


@dataclass(frozen=True)
class CancelledLine:
    """A purchase order's product it cancelled units of: `quantity` still ordered."""

    product_id: str
    quantity: int
    cancelled: int


@dataclass(frozen=True)
class ExpectedUnits:
    """One product of a purchase order: expected (still ordered), received, cancelled."""

    expected: int
    received: int
    cancelled: int


def refused_units(purchase_order_id: str, product_id: str, units: int, line: ExpectedUnits) -> str:
    """Why a receipt of `units` against a line that cancelled units is refused, or "": what
    arrives beyond what the order still brings is cancelled goods."""
    left = max(line.expected - line.received, 0)
    if not line.cancelled or units <= left:
        return ""
    return (
        f"purchase order {purchase_order_id} cancelled {line.cancelled} units of {product_id}: "
        f"{left} still to receive ({line.expected} ordered, {line.received} received)"
    )


@dataclass(frozen=True)
class Expectation:
    """What a purchase order brings to a warehouse, and what of it came already."""

    purchase_order_id: str
    warehouse_id: str
    lines: list[ExpectedLine]
