"""PurchaseOrderReduced: the purchase order cancelled units (cancelled after part arrived, or a
line reduced): they are no longer incoming, and a receipt of them is refused
(commands/receive_goods)."""

from __future__ import annotations

from dataclasses import dataclass

from inventory.application.ports import UnitOfWork
from inventory.domain.receipt import CancelledLine


@dataclass(frozen=True)
class PurchaseOrderReduced:
    purchase_order_id: str
    warehouse_id: str
    lines: tuple[CancelledLine, ...]
    reason: str


async def on_purchase_order_reduced(uow: UnitOfWork, reduced: PurchaseOrderReduced) -> None:
    """Applied even to an order inventory never announced (its units are refused all the same)."""
    if not reduced.purchase_order_id or not reduced.warehouse_id or not reduced.lines:
        return
    await uow.expected_goods.cancel(reduced.purchase_order_id, reduced.warehouse_id, reduced.lines)
    await uow.audit.record(
        "expected_goods",
        reduced.purchase_order_id,
        "cancelled",
        after={
            "reason": reduced.reason,
            "lines": [
                {"product_id": x.product_id, "quantity": x.quantity, "cancelled": x.cancelled}
                for x in reduced.lines
            ],
        },
    )
