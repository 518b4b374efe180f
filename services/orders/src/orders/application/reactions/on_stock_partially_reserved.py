"""Inventory holds part of the order; the rest waits as backorders."""

from __future__ import annotations

from collections.abc import Mapping

from orders.application.ports import Deps, UnitOfWork
from orders.application.reactions.saga import order_for
from orders.application.recording import record_changed


async def on_stock_partially_reserved(
    deps: Deps,
    uow: UnitOfWork,
    order_id: str,
    reserved: Mapping[str, int],
    backordered: Mapping[str, int],
) -> None:
    """Units per line id held and waiting."""
    order = await order_for(uow, order_id)
    events = order.stock_reserved(reserved, backordered)
    await record_changed(uow, order, events)
