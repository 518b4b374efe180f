"""Stock use cases: adjustments, transfers, reorder points and levels. Stock that becomes
available fills backorders first come, first served (`StockBook.settle`); every change is in
the change log (entity "stock", by product)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from inventory.adapters.repository import InventoryStore
from inventory.adapters.tables import stock_levels
from inventory.application.ledger import StockBook
from inventory.application.ports import ClientRequest, ProductCatalog, Retries, require_products
from inventory.domain.commands import check_adjustment, check_reorder_point, check_transfer
from messaging.outbox import Outbox
from servicekit.audit import AuditLog
from servicekit.db import Database
from servicekit.errors import NotFound
from servicekit.paging import page_after, page_limit, page_token


@dataclass(frozen=True)
class StockLevel:
    warehouse_id: str
    product_id: str
    on_hand: int
    reserved: int
    incoming: int = 0
    backordered: int = 0
    reorder_point: int = 0

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved


@dataclass(frozen=True)
class Transfer:
    id: str
    source: StockLevel
    target: StockLevel


async def read_levels(
    session: AsyncSession,
    product_id: str = "",
    warehouse_id: str = "",
    limit: int | None = None,
    after: Sequence[str] = (),
) -> list[StockLevel]:
    """Levels by product, then warehouse (after the (product, warehouse) `after`, when given),
    with what is incoming and backordered."""
    c = stock_levels.c
    query = select(stock_levels).order_by(c.product_id, c.warehouse_id).limit(limit)
    if product_id:
        query = query.where(c.product_id == product_id)
    if warehouse_id:
        query = query.where(c.warehouse_id == warehouse_id)
    if after:
        query = query.where(tuple_(c.product_id, c.warehouse_id) > tuple_(*after))
    store = InventoryStore(session)
    rows = list(await session.execute(query))
    products = {r.product_id for r in rows}
    incoming = await store.incoming(products, warehouse_id)
    backordered = await store.backordered(products)
    return [
        StockLevel(
            r.warehouse_id,
            r.product_id,
            r.on_hand,
            r.reserved,
            incoming.get((r.warehouse_id, r.product_id), 0),
            backordered.get(r.product_id, 0),
            r.reorder_point,
        )
        for r in rows
    ]


async def read_level(session: AsyncSession, warehouse_id: str, product_id: str) -> StockLevel:
    levels = await read_levels(session, product_id, warehouse_id)
    if not levels:
        raise NotFound(f"no stock of {product_id} in warehouse {warehouse_id}")
    return levels[0]


class Stock:
    def __init__(
        self,
        database: Database,
        outbox: Outbox,
        catalog: ProductCatalog,
        audit: AuditLog,
        retries: Retries,
    ) -> None:
        self.database = database
        self.outbox = outbox
        self.catalog = catalog
        self.audit = audit
        self.retries = retries

    async def adjust(
        self,
        warehouse_id: str,
        product_id: str,
        delta: int,
        reason: str,
        request: ClientRequest | None = None,
    ) -> StockLevel:
        """The level after the adjustment (for a retry: the level now)."""
        check_adjustment(warehouse_id, product_id, delta, reason)
        await require_products(self.catalog, {"product_id": product_id})
        async with self.database.transaction() as session:
            if await self.retries.claim(session, "adjust_stock", request) is None:
                store = InventoryStore(session)
                await store.require_warehouses(warehouse_id)
                await store.lock_products([product_id])
                book = StockBook(store, self.outbox)
                level = await book.put(
                    warehouse_id, product_id, delta, kind="adjustment", reason=reason
                )
                await book.settle()
                await self.audit.record(
                    session,
                    "stock",
                    product_id,
                    "adjusted",
                    before={"warehouse_id": warehouse_id, "on_hand": level.on_hand - delta},
                    after={
                        "warehouse_id": warehouse_id,
                        "on_hand": level.on_hand,
                        "reason": reason,
                    },
                )
                # The request names the level it changed: the result only marks it done.
                await self.retries.complete(session, "adjust_stock", request, product_id)
            return await read_level(session, warehouse_id, product_id)

    async def transfer(
        self,
        source: str,
        target: str,
        product_id: str,
        quantity: int,
        reason: str,
        request: ClientRequest | None = None,
    ) -> Transfer:
        check_transfer(source, target, product_id, quantity, reason)
        await require_products(self.catalog, {"product_id": product_id})
        async with self.database.transaction() as session:
            transfer_id = await self.retries.claim(session, "transfer_stock", request)
            if transfer_id is None:
                transfer_id = str(uuid.uuid4())
                await self._move(session, transfer_id, source, target, product_id, quantity, reason)
                await self.retries.complete(session, "transfer_stock", request, transfer_id)
            return Transfer(
                transfer_id,
                await read_level(session, source, product_id),
                await read_level(session, target, product_id),
            )

    async def _move(
        self,
        session: AsyncSession,
        transfer_id: str,
        source: str,
        target: str,
        product_id: str,
        quantity: int,
        reason: str,
    ) -> None:
        why = reason.strip() or "transfer"
        store = InventoryStore(session)
        await store.require_warehouses(source, target)
        await store.lock_products([product_id])
        book = StockBook(store, self.outbox)
        taken = await book.put(
            source,
            product_id,
            -quantity,
            kind="transfer_out",
            reason=why,
            reference=transfer_id,
            refusal=f"moving {quantity} units would leave warehouse {source} with less on "
            "hand than it has reserved",
        )
        given = await book.put(
            target, product_id, quantity, kind="transfer_in", reason=why, reference=transfer_id
        )
        await book.settle()
        await self.audit.record(
            session,
            "stock",
            product_id,
            "transferred",
            before={
                "from": {"warehouse_id": source, "on_hand": taken.on_hand + quantity},
                "to": {"warehouse_id": target, "on_hand": given.on_hand - quantity},
            },
            after={
                "from": {"warehouse_id": source, "on_hand": taken.on_hand},
                "to": {"warehouse_id": target, "on_hand": given.on_hand},
                "quantity": quantity,
                "reason": why,
                "transfer_id": transfer_id,
            },
        )

    async def set_reorder_point(
        self, product_id: str, warehouse_id: str, reorder_point: int
    ) -> StockLevel:
        check_reorder_point(product_id, warehouse_id, reorder_point)
        await require_products(self.catalog, {"product_id": product_id})
        async with self.database.transaction() as session:
            store = InventoryStore(session)
            await store.require_warehouses(warehouse_id)
            await store.lock_products([product_id])
            await store.ensure_level(warehouse_id, product_id)
            was = await store.level(warehouse_id, product_id)
            await store.set_reorder_point(warehouse_id, product_id, reorder_point)
            book = StockBook(store, self.outbox)
            book.touched[(warehouse_id, product_id)] = None
            await book.settle()
            if was is not None and was.reorder_point != reorder_point:
                await self.audit.record(
                    session,
                    "stock",
                    product_id,
                    "reorder_point_set",
                    before={"warehouse_id": warehouse_id, "reorder_point": was.reorder_point},
                    after={"warehouse_id": warehouse_id, "reorder_point": reorder_point},
                )
            return await read_level(session, warehouse_id, product_id)

    async def levels(
        self, product_id: str = "", warehouse_id: str = "", page_size: int = 0, token: str = ""
    ) -> tuple[list[StockLevel], str]:
        """A page of levels (by product, then warehouse) and the next page's token."""
        limit = page_limit(page_size)
        after = page_after(token, 2)
        async with self.database.transaction() as session:
            found = await read_levels(session, product_id, warehouse_id, limit + 1, after)
        if len(found) > limit:
            last = found[limit - 1]
            return found[:limit], page_token(last.product_id, last.warehouse_id)
        return found, ""
