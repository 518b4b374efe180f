"""Inventory let go of what it held for the order (it was cancelled, or never approved in time)."""

from __future__ import annotations

from orders.application.ports import Deps, UnitOfWork
from orders.application.reactions.saga import order_for
from orders.application.recording import record_changed

# Inventory's reason when the order changed its own lines: it confirms what it freed.
LINES_CHANGED = "changed"


async def on_reservation_released(deps: Deps, uow: UnitOfWork, order_id: str, reason: str) -> None:
    if reason == LINES_CHANGED:
        return
    order = await order_for(uow, order_id)
    events = order.reservation_released(reason)
    await record_changed(uow, order, events)
