"""finance released a held bill: the order takes it as matched."""

from __future__ import annotations

from dataclasses import dataclass

from procurement.application.changes import order_progress
from procurement.application.ports import Clock, UnitOfWork
from procurement.application.reactions.progress import record_progress, reported_order
from procurement.domain.purchase_orders import BillStatus
from servicekit.context import current_principal


@dataclass(frozen=True)
class BillReleased:
    bill_id: str
    purchase_order_id: str


async def on_bill_released(uow: UnitOfWork, clock: Clock, event: BillReleased) -> None:
    detail = {"bill_id": event.bill_id}
    order = await reported_order(uow, event.purchase_order_id, "bill_released", detail)
    if order is None:
        return
    before = order_progress(order)
    moves = order.record_bill(
        event.bill_id, BillStatus.MATCHED.value, clock.now(), current_principal().subject
    )
    await record_progress(uow, order, before, moves, "bill_released", detail)
