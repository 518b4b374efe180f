"""One order, as the caller may see it."""

from __future__ import annotations

from orders.application.ports import Deps
from orders.application.reach import reachable
from orders.application.views import SalesOrderView, order_view


async def get_sales_order(deps: Deps, order_id: str) -> SalesOrderView:
    async with deps.unit_of_work() as uow:
        order = await reachable(uow, order_id)
    return await order_view(deps, order)
