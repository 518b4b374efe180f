"""Billing credited the order (a cancellation, returned goods): noted in its journal."""

from __future__ import annotations

from orders.application.ports import Deps, UnitOfWork
from orders.application.reactions.saga import order_for
from orders.application.recording import record_changed


async def on_credit_note_issued(
    deps: Deps, uow: UnitOfWork, order_id: str, number: str, total: str, reason: str
) -> None:
    """`total`: the credited amount as billing states it ("12.50 EUR")."""
    if not order_id:
        return
    order = await order_for(uow, order_id)
    events = order.note(f"credit note {number} for {total} ({reason})")
    await record_changed(uow, order, events)
