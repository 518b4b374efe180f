"""billing paid the supplier's bill: a billed order closes (or will, once its goods are in)."""

from __future__ import annotations

from dataclasses import dataclass

from procurement.application.changes import order_progress
from procurement.application.ports import Clock, UnitOfWork
from procurement.application.reactions.progress import record_progress, reported_order
from servicekit.context import current_principal


@dataclass(frozen=True)
class BillPaid:
    bill_id: str
    purchase_order_id: str


async def on_bill_paid(uow: UnitOfWork, clock: Clock, event: BillPaid) -> None:
    detail = {"bill_id": event.bill_id}
    order = await reported_order(uow, event.purchase_order_id, "bill_paid", detail)
    if order is None:
        return
    before = order_progress(order)
    moves = order.bill_paid(event.bill_id, clock.now(), current_principal().subject)
    await record_progress(uow, order, before, moves, "bill_paid", detail)
