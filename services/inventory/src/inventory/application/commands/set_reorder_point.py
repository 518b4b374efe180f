"""SetReorderPoint: below this many available units a level is low (LowStock, once per
crossing); 0: never."""

from __future__ import annotations

from dataclasses import dataclass

from inventory.application.known import require_products, require_warehouses
from inventory.application.ports import Catalog, UnitOfWork
from inventory.application.queries.stock import StockPosition, read_level
from inventory.application.stock_book import StockBook
from inventory.domain.checks import check_reorder_point


@dataclass(frozen=True)
class SetReorderPoint:
    product_id: str
    warehouse_id: str
    reorder_point: int


async def set_reorder_point(
    uow: UnitOfWork, catalog: Catalog, command: SetReorderPoint
) -> StockPosition:
    product_id, warehouse_id, point = (
        command.product_id,
        command.warehouse_id,
        command.reorder_point,
    )
    check_reorder_point(product_id, warehouse_id, point)
    await require_products(catalog, {"product_id": product_id})
    async with uow:
        await require_warehouses(uow, warehouse_id)
        await uow.lock_products([product_id])
        book = StockBook(uow)
        was = (await book.level(warehouse_id, product_id)).set_reorder_point(point)
        await book.settle()
        if was != point:
            await uow.audit.record(
                "stock",
                product_id,
                "reorder_point_set",
                before={"warehouse_id": warehouse_id, "reorder_point": was},
                after={"warehouse_id": warehouse_id, "reorder_point": point},
            )
        return await read_level(uow, warehouse_id, product_id)
