"""Inventory holds every unit of the order."""

from __future__ import annotations

from collections.abc import Mapping

from orders.application.ports import Deps, UnitOfWork
from orders.application.reactions.saga import order_for
from orders.application.recording import record_changed


async def on_stock_reserved(
    deps: Deps, uow: UnitOfWork, order_id: str, reserved: Mapping[str, int]
) -> None:
    """`reserved`: units per line id."""
    order = await order_for(uow, order_id)
    events = order.stock_reserved(reserved, {})
    await record_changed(uow, order, events)
