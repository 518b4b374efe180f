"""An invoice of the order was paid: once all are, the order is paid (and closes)."""

from __future__ import annotations

from orders.application.ports import Deps, UnitOfWork
from orders.application.reactions.saga import order_for, pipeline_for
from orders.application.recording import record_changed


async def on_invoice_paid(deps: Deps, uow: UnitOfWork, order_id: str) -> None:
    """`order_id` empty: an invoice made from a quote, no order of ours."""
    if not order_id:
        return
    order = await order_for(uow, order_id)
    events = order.invoice_paid(await pipeline_for(deps, uow, order))
    await record_changed(uow, order, events)
