"""An order's journal, oldest first, a page at a time."""

from __future__ import annotations

from orders.application.ports import Deps, HistoryEntry
from orders.application.reach import reachable
from servicekit.errors import InvalidArgument
from servicekit.paging import page_after, page_limit, page_token


async def sales_order_history(
    deps: Deps, order_id: str, page_size: int, token: str
) -> tuple[list[HistoryEntry], str]:
    """The page and the next page's token ("" on the last)."""
    limit = page_limit(page_size)
    key = page_after(token, 1)
    try:
        after = int(key[0]) if key else 0
    except ValueError as error:
        raise InvalidArgument.of("page_token", "not a token this API issued") from error
    async with deps.unit_of_work() as uow:
        await reachable(uow, order_id)
        found = await uow.orders.history(order_id, after, limit + 1)
    if len(found) > limit:
        return found[:limit], page_token(str(found[limit - 1].id))
    return found, ""
