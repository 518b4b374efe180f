"""GetStock: stock levels by product, then warehouse, a page at a time, each with what purchase
orders bring (incoming) and what orders wait for (backordered)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from inventory.application.ports import UnitOfWork
from inventory.domain.stock import StockLevel
from servicekit.errors import NotFound
from servicekit.paging import keyed_page, page_after, page_limit


@dataclass(frozen=True)
class StockPosition:
    warehouse_id: str
    product_id: str
    on_hand: int
    reserved: int
    incoming: int = 0
    # What orders wait for, of this product (in all warehouses).
    backordered: int = 0
    reorder_point: int = 0

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved


async def positions(
    uow: UnitOfWork, levels: Sequence[StockLevel], warehouse_id: str = ""
) -> list[StockPosition]:
    products = {x.product_id for x in levels}
    incoming = await uow.expected_goods.incoming(products, warehouse_id)
    backordered = await uow.reservations.backordered(products)
    return [
        StockPosition(
            x.warehouse_id,
            x.product_id,
            x.on_hand,
            x.reserved,
            incoming.get((x.warehouse_id, x.product_id), 0),
            backordered.get(x.product_id, 0),
            x.reorder_point,
        )
        for x in levels
    ]


async def read_level(uow: UnitOfWork, warehouse_id: str, product_id: str) -> StockPosition:
    """One level as it is now, in the caller's transaction; NotFound when there is none."""
    found = await uow.levels.page(1, product_id, warehouse_id)
    if not found:
        raise NotFound(f"no stock of {product_id} in warehouse {warehouse_id}")
    return (await positions(uow, found, warehouse_id))[0]


async def get_stock(
    uow: UnitOfWork,
    product_id: str = "",
    warehouse_id: str = "",
    page_size: int = 0,
    token: str = "",
) -> tuple[list[StockPosition], str]:
    """A page of levels (of one product or warehouse, when given) and the next page's token."""
    limit = page_limit(page_size)
    after = page_after(token, 2)
    async with uow:
        found = await uow.levels.page(
            limit + 1, product_id, warehouse_id, (after[0], after[1]) if after else None
        )
        listed = await positions(uow, found, warehouse_id)
    return keyed_page(listed, limit, lambda x: (x.product_id, x.warehouse_id))
