"""One order, as the caller may see it."""

from __future__ import annotations

from orders.application.ports import Deps
from orders.application.reach import reachable
from orders.application.views import SalesOrderView, order_view, stalled_view


async def get_sales_order(deps: Deps, order_id: str) -> SalesOrderView:
    """With which of its saga steps stalled, and why."""
    async with deps.unit_of_work() as uow:
        order = await reachable(uow, order_id)
        steps = await uow.stalled.open_of(order_id)
    return stalled_view(await order_view(deps, order), steps)
