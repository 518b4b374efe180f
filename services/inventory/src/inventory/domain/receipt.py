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
class Expectation:
    """What a purchase order brings to a warehouse, and what of it came already."""

    purchase_order_id: str
    warehouse_id: str
    lines: list[ExpectedLine]
