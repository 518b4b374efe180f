"""A shipment of the order moved on (in transit, delivered...): noted in its journal."""

from __future__ import annotations

from orders.application.ports import Deps, UnitOfWork
from orders.application.reactions.saga import order_for
from orders.application.recording import record_changed


async def on_shipment_status_changed(
    deps: Deps, uow: UnitOfWork, order_id: str, shipment_id: str, from_status: str, to_status: str
) -> None:
    order = await order_for(uow, order_id)
    events = order.note(f"shipment {shipment_id[:8]} {from_status} -> {to_status}")
    await record_changed(uow, order, events)
