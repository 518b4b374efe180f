"""The order desk's list: a page of the orders the caller reaches, newest first, with the count
and sum of all their matches per currency."""

from __future__ import annotations

from orders.application.ports import Deps, OrderQuery, OrderTotals
from orders.application.reach import within_reach
from orders.application.views import SalesOrderView, seen, stalled_view
from orders.domain.stalled import STALLED
from servicekit.paging import newest_after, newest_page, page_limit


async def list_sales_orders(
    deps: Deps, query: OrderQuery, page_size: int, token: str
) -> tuple[list[SalesOrderView], str, list[OrderTotals]]:
    """The page, the next page's token ("" on the last) and the totals."""
    limit = page_limit(page_size)
    query = within_reach(query)
    after = newest_after(token)
    async with deps.unit_of_work() as uow:
        found = await uow.orders.page(query, after, limit + 1)
        totals = await uow.orders.totals(query)
        orders, next_token = newest_page(found, limit)
        views = [seen(order) for order in orders]
        if query.status == STALLED:  # the order desk's stalled orders, each with why
            views = [stalled_view(v, await uow.stalled.open_of(v.order.id)) for v in views]
    return views, next_token, totals
