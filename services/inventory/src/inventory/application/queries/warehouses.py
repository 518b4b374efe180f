"""ListWarehouses: warehouses in allocation order (priority, then code), a page at a time."""

from __future__ import annotations

from inventory.application.ports import UnitOfWork
from inventory.domain.warehouse import Warehouse
from servicekit.errors import InvalidArgument
from servicekit.paging import keyed_page, page_after, page_limit


async def list_warehouses(
    uow: UnitOfWork, page_size: int = 0, token: str = ""
) -> tuple[list[Warehouse], str]:
    """A page of warehouses and the next page's token (empty on the last page)."""
    limit = page_limit(page_size)
    key = page_after(token, 2)
    after = None
    if key:
        try:
            after = (int(key[0]), key[1])
        except ValueError as error:
            raise InvalidArgument.of("page_token", "not a token this API issued") from error
    async with uow:
        found = await uow.warehouses.page(limit + 1, after)
    return keyed_page(found, limit, lambda w: (str(w.priority), w.code))
