"""Arriving stock went to the order's backorders (first come, first served)."""

from __future__ import annotations

from collections.abc import Mapping

from orders.application.ports import Deps, UnitOfWork
from orders.application.reactions.saga import order_for
from orders.application.recording import record_changed


async def on_backorder_allocated(
    deps: Deps, uow: UnitOfWork, order_id: str, allocated: Mapping[str, int], complete: bool
) -> None:
    """`allocated`: units per line id; `complete`: nothing waits any more."""
    order = await order_for(uow, order_id)
    events = order.backorder_allocated(allocated, complete)
    await record_changed(uow, order, events)
