"""Inventory cannot supply the order: an open order that has not shipped is cancelled."""

from __future__ import annotations

from orders.application.ports import Deps, UnitOfWork
from orders.application.reactions.saga import order_for, pipeline_for
from orders.application.recording import record_changed


async def on_stock_rejected(deps: Deps, uow: UnitOfWork, order_id: str, reason: str) -> None:
    order = await order_for(uow, order_id)
    events = order.stock_rejected(await pipeline_for(deps, uow, order), reason)
    await record_changed(uow, order, events)
