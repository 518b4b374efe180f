"""ListShipments: shipments (of one order, when asked), newest first, a page at a time."""

from __future__ import annotations

from inventory.application.ports import UnitOfWork
from inventory.domain.shipment import Shipment
from servicekit.paging import newest_after, newest_page, page_limit


async def list_shipments(
    uow: UnitOfWork, order_id: str = "", page_size: int = 0, token: str = ""
) -> tuple[list[Shipment], str]:
    """A page of shipments and the next page's token (empty on the last page)."""
    limit = page_limit(page_size)
    after = newest_after(token)
    async with uow:
        found = await uow.shipments.page(limit + 1, order_id, after)
    return newest_page(found, limit)
