"""Estimated against actual costs, a page of orders (newest first) at a time."""

from __future__ import annotations

from orders.application.ports import Deps, OrderQuery
from orders.application.reach import within_reach
from orders.domain.costs import OrderCosts
from servicekit.paging import newest_after, newest_page, page_limit


async def cost_report(
    deps: Deps, query: OrderQuery, page_size: int, token: str
) -> tuple[list[OrderCosts], str]:
    """The page and the next page's token ("" on the last)."""
    limit = page_limit(page_size)
    after = newest_after(token)
    async with deps.unit_of_work() as uow:
        found = await uow.orders.page(within_reach(query), after, limit + 1)
        orders, next_token = newest_page(found, limit)
        costs = await uow.costs.of([order.id for order in orders])
    report = [
        OrderCosts(o.id, o.currency, o.estimated_cost, tuple(costs.get(o.id, []))) for o in orders
    ]
    return report, next_token
