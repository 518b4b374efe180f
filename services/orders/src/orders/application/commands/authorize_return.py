"""Authorise the return of shipped goods not yet returned or authorised; inventory receives
them, billing credits them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from orders.application.ports import Deps
from orders.application.reach import reachable
from orders.application.recording import record_changed
from orders.application.views import SalesOrderView, order_view


@dataclass(frozen=True)
class AuthorizeReturn:
    order_id: str
    # Units to return by line id.
    quantities: Mapping[str, int]
    reason: str


async def authorize_return(deps: Deps, command: AuthorizeReturn) -> tuple[SalesOrderView, str]:
    """The order and the new return's id."""
    async with deps.unit_of_work() as uow:
        order = await reachable(uow, command.order_id, for_update=True)
        returned = await uow.returns.returned_or_authorised(order.id)
        authorised, events = order.authorize_return(command.quantities, command.reason, returned)
        await uow.returns.add(order.id, authorised)
        await record_changed(uow, order, events)
    return await order_view(deps, order), authorised.id
