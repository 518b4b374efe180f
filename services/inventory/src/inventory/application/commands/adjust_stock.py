"""AdjustStock: units counted in or out of a warehouse, with the reason. Stock that becomes
available fills backorders first; a retry with the same request id changes nothing."""

from __future__ import annotations

from dataclasses import dataclass

from inventory.application.known import require_products, require_warehouses
from inventory.application.ports import Catalog, ClientRequest, UnitOfWork
from inventory.application.queries.stock import StockPosition, read_level
from inventory.application.stock_book import StockBook
from inventory.domain.checks import check_adjustment


@dataclass(frozen=True)
class AdjustStock:
    warehouse_id: str
    product_id: str
    # Units added (> 0) or removed (< 0).
    delta: int
    reason: str
    request: ClientRequest | None = None


async def adjust_stock(uow: UnitOfWork, catalog: Catalog, command: AdjustStock) -> StockPosition:
    """The level after the adjustment (for a retry: the level now)."""
    warehouse_id, product_id, delta = command.warehouse_id, command.product_id, command.delta
    check_adjustment(warehouse_id, product_id, delta, command.reason)
    await require_products(catalog, {"product_id": product_id})
    async with uow:
        if await uow.requests.claim("adjust_stock", command.request) is None:
            await require_warehouses(uow, warehouse_id)
            await uow.lock_products([product_id])
            book = StockBook(uow)
            level = await book.put(
                warehouse_id, product_id, delta, kind="adjustment", reason=command.reason
            )
            await book.settle()
            await uow.audit.record(
                "stock",
                product_id,
                "adjusted",
                before={"warehouse_id": warehouse_id, "on_hand": level.on_hand - delta},
                after={
                    "warehouse_id": warehouse_id,
                    "on_hand": level.on_hand,
                    "reason": command.reason,
                },
            )
            # The request names the level it changed: the result only marks it done.
            await uow.requests.complete("adjust_stock", command.request, product_id)
        return await read_level(uow, warehouse_id, product_id)
