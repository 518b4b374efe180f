"""GoodsReceived: goods received against a purchase order counted by product, once per receipt
(even one that arrives before the order's copy) -- what bills may bill."""

from __future__ import annotations

from dataclasses import dataclass

from billing.application.ports import UnitOfWork
from billing.domain.bills import Receipt


@dataclass(frozen=True)
class GoodsReceived:
    receipt_id: str
    # Empty for goods not received against a purchase order.
    purchase_order_id: str
    lines: tuple[tuple[str, int], ...]


async def on_goods_received(uow: UnitOfWork, event: GoodsReceived) -> None:
    receipt = Receipt.of(event.receipt_id, event.purchase_order_id, event.lines)
    if receipt is not None:
        await uow.purchase_orders.receive(receipt)
