"""The order desk's list of stalled saga steps, oldest first, a page at a time."""

from __future__ import annotations

from orders.application.ports import Deps
from orders.domain.stalled import StalledStep
from servicekit.paging import keyed_page, newest_after, page_limit


async def list_stalled_steps(
    deps: Deps, page_size: int, token: str
) -> tuple[list[StalledStep], str]:
    limit = page_limit(page_size)
    after = newest_after(token)
    async with deps.unit_of_work() as uow:
        found = await uow.stalled.page(after, limit + 1)
    return keyed_page(found, limit, lambda s: (s.stalled_at.isoformat(), s.id))
