"""Stock out's records on PostgreSQL: the levels inventory announced, the pending pushes (one row
per store and product, claimed with SKIP LOCKED), the store's entity per SKU; and the unit of
work holding them with the stores."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractAsyncContextManager
from datetime import datetime
from types import TracebackType

from sqlalchemy import delete, select, update
from sqlalchemy.dialects.postgresql import insert

from servicekit.db import Database, DriverStatement, Transaction
from woocommerce.adapters.secrets import SecretBox
from woocommerce.adapters.stores import SqlStores
from woocommerce.adapters.tables import stock_levels, stock_pushes, woo_products
from woocommerce.application.stock_ports import DuePush
from woocommerce.domain.stock_push import WooItem

_NEW_LEVEL = insert(stock_levels)
# Compiled once and sent on the driver: every availability inventory announces sets one.
_SET_LEVEL = DriverStatement(
    _NEW_LEVEL.on_conflict_do_update(
        index_elements=["product_id", "warehouse_id"],
        set_={"available": _NEW_LEVEL.excluded.available},
    )
)


class SqlStockRecords:
    def __init__(self, session: Transaction) -> None:
        self.session = session

    async def set_level(self, product_id: str, warehouse_id: str, available: int) -> None:
        level = {"product_id": product_id, "warehouse_id": warehouse_id, "available": available}
        await _SET_LEVEL.execute(self.session, level)

    async def levels(self, product_id: str) -> dict[str, int]:
        rows = await self.session.execute(
            select(stock_levels.c.warehouse_id, stock_levels.c.available).where(
                stock_levels.c.product_id == product_id
            )
        )
        return {row.warehouse_id: row.available for row in rows}

    async def mark(self, store_id: str, product_id: str, due_at: datetime) -> None:
        await self.session.execute(
            insert(stock_pushes)
            .values(store_id=store_id, product_id=product_id, due_at=due_at)
            .on_conflict_do_nothing(index_elements=["store_id", "product_id"])
        )

    async def due(self, now: datetime, limit: int) -> list[DuePush]:
        rows = await self.session.execute(
            select(stock_pushes)
            .where(stock_pushes.c.due_at <= now)
            .order_by(stock_pushes.c.due_at, stock_pushes.c.store_id, stock_pushes.c.product_id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        return [DuePush(row.store_id, row.product_id, row.attempts) for row in rows]

    async def pushed(self, store_id: str, product_ids: Sequence[str]) -> None:
        if product_ids:
            await self.session.execute(
                delete(stock_pushes).where(
                    stock_pushes.c.store_id == store_id,
                    stock_pushes.c.product_id.in_(list(product_ids)),
                )
            )

    async def failed(
        self, store_id: str, product_ids: Sequence[str], due_at: datetime, error: str
    ) -> None:
        await self.session.execute(
            update(stock_pushes)
            .where(
                stock_pushes.c.store_id == store_id,
                stock_pushes.c.product_id.in_(list(product_ids)),
            )
            .values(attempts=stock_pushes.c.attempts + 1, due_at=due_at, last_error=error)
        )

    async def item(self, store_id: str, sku: str) -> WooItem | None:
        row = (
            await self.session.execute(
                select(woo_products).where(
                    woo_products.c.store_id == store_id, woo_products.c.sku == sku
                )
            )
        ).first()
        return None if row is None else WooItem(row.woo_id, row.parent_id)

    async def remember(self, store_id: str, sku: str, item: WooItem) -> None:
        statement = insert(woo_products).values(
            store_id=store_id, sku=sku, woo_id=item.woo_id, parent_id=item.parent_id
        )
        await self.session.execute(
            statement.on_conflict_do_update(
                index_elements=["store_id", "sku"],
                set_={"woo_id": item.woo_id, "parent_id": item.parent_id},
            )
        )


class SqlStockUnitOfWork:
    """One transaction over the stores and stock out's records."""

    stores: SqlStores
    stock: SqlStockRecords

    def __init__(self, database: Database, box: SecretBox) -> None:
        self._database = database
        self._box = box
        self._transaction: AbstractAsyncContextManager[Transaction] | None = None

    async def __aenter__(self) -> SqlStockUnitOfWork:
        if self._transaction is not None:
            raise RuntimeError("a unit of work is used once")
        self._transaction = self._database.transaction()
        session = await self._transaction.__aenter__()
        self.stores = SqlStores(session, self._box)
        self.stock = SqlStockRecords(session)
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        assert self._transaction is not None
        await self._transaction.__aexit__(kind, error, trace)


class JoinedStockUnit:
    """The same, inside a transaction someone else owns (the event consumer's, with the event's
    inbox claim): it neither begins nor ends it."""

    def __init__(self, session: Transaction, box: SecretBox) -> None:
        self.stores = SqlStores(session, box)
        self.stock = SqlStockRecords(session)

    async def __aenter__(self) -> JoinedStockUnit:
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        return None
