"""Billing invoiced the order (a shipment, or the whole order): it settles once shipped too."""

from __future__ import annotations

from orders.application.ports import Deps, UnitOfWork
from orders.application.reactions.saga import order_for, pipeline_for
from orders.application.recording import record_changed


async def on_invoice_issued(deps: Deps, uow: UnitOfWork, order_id: str, covers_order: bool) -> None:
    """`order_id` empty: invoiced straight from a quote, no order of ours."""
    if not order_id:
        return
    order = await order_for(uow, order_id)
    events = order.invoiced(await pipeline_for(deps, uow, order), covers_order)
    await record_changed(uow, order, events)
