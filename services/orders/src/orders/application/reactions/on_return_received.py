"""The warehouse received goods of a return the order desk authorised."""

from __future__ import annotations

from collections.abc import Mapping

from orders.application.ports import Deps, UnitOfWork
from orders.application.reactions.saga import order_for
from orders.application.recording import record_changed


async def on_return_received(
    deps: Deps, uow: UnitOfWork, order_id: str, return_id: str, quantities: Mapping[str, int]
) -> None:
    """`quantities`: units back per line id."""
    if not await uow.returns.mark_received(return_id):
        return  # received before: a redelivered event
    order = await order_for(uow, order_id)
    events = order.return_received(return_id, quantities)
    await record_changed(uow, order, events)
