"""Goods of the order left a warehouse: the order moves to (partially) shipped, settles when it
is invoiced too, and the goods' cost is recorded once per shipment."""

from __future__ import annotations

from collections.abc import Mapping

from orders.application.ports import Deps, UnitOfWork
from orders.application.reactions.saga import order_for, pipeline_for
from orders.application.recording import record_changed
from orders.domain.events import CostIncurred


async def on_shipment_dispatched(
    deps: Deps, uow: UnitOfWork, order_id: str, shipment_id: str, quantities: Mapping[str, int]
) -> None:
    """`quantities`: units shipped per line id."""
    order = await order_for(uow, order_id)
    events = order.shipped(await pipeline_for(deps, uow, order), shipment_id, quantities)
    await record_changed(uow, order, events)
    for event in events:
        if isinstance(event, CostIncurred):
            await uow.costs.add(event)
