"""billing recorded the supplier's bill: a matched one moves a (partially) received order to
billed, or waits on the order for the goods; a held one moves nothing."""

from __future__ import annotations

from dataclasses import dataclass

from procurement.application.changes import order_progress
from procurement.application.ports import Clock, UnitOfWork
from procurement.application.reactions.progress import record_progress, reported_order
from servicekit.context import current_principal


@dataclass(frozen=True)
class BillRecorded:
    bill_id: str
    purchase_order_id: str
    status: str  # "matched" or "held"
    # (product_id, units billed); empty from a producer that did not say
    lines: tuple[tuple[str, int], ...] = ()


async def on_bill_recorded(uow: UnitOfWork, clock: Clock, event: BillRecorded) -> None:
    detail = {"bill_id": event.bill_id}
    order = await reported_order(uow, event.purchase_order_id, "bill_recorded", detail)
    if order is None:
        return
    before = order_progress(order)
    quantities: dict[str, int] = {}
    for product_id, units in event.lines:
        quantities[product_id] = quantities.get(product_id, 0) + units
    by = current_principal().subject
    moves = order.record_bill(event.bill_id, event.status, clock.now(), by, quantities)
    await record_progress(uow, order, before, moves, "bill_recorded", detail)
