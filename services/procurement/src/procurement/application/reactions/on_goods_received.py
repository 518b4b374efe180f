"""inventory received goods against a purchase order: the order counts them, product by
product, notes what does not match, and moves to partially_received or received (and on to
billed or closed when its bill came first)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from procurement.application.changes import order_progress
from procurement.application.ports import Clock, UnitOfWork
from procurement.application.reactions.progress import record_progress, reported_order
from servicekit.context import current_principal


@dataclass(frozen=True)
class GoodsReceived:
    receipt_id: str
    purchase_order_id: str  # empty: goods not ordered from a supplier
    warehouse_id: str
    lines: tuple[tuple[str, int], ...]  # (product_id, quantity)


async def on_goods_received(uow: UnitOfWork, clock: Clock, event: GoodsReceived) -> None:
    if not event.purchase_order_id:
        return
    detail = {"receipt_id": event.receipt_id}
    order = await reported_order(uow, event.purchase_order_id, "goods_received", detail)
    if order is None:
        return
    quantities: Counter[str] = Counter()
    for product_id, quantity in event.lines:
        if quantity > 0:
            quantities[product_id] += quantity
    before = order_progress(order)
    moves = order.receive(
        event.receipt_id,
        event.warehouse_id,
        quantities,
        clock.now(),
        current_principal().subject,
    )
    await record_progress(uow, order, before, moves, "goods_received", detail)
