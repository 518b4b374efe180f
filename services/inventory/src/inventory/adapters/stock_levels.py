"""Stock levels and the stock ledger on PostgreSQL.

A level is saved as the change since it was read, by a conditional update: should another
transaction have moved it meanwhile (a bug: the product's lock forbids it), the update matches
nothing rather than leave it oversold, and `CHECK (on_hand >= reserved)` backs it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import select, tuple_
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from inventory.adapters.tables import stock_levels, stock_movements
from inventory.domain.events import StockMoved
from inventory.domain.stock import StockLevel
from servicekit.context import current_principal

Key = tuple[str, str]
# on hand, reserved, reorder point, low stock: as last read or written
Figures = tuple[int, int, int, bool]


class StaleStockLevel(RuntimeError):
    """A level changed by another transaction while this one held the product's lock."""


def _figures(level: StockLevel) -> Figures:
    return (level.on_hand, level.reserved, level.reorder_point, level.low_stock)


class SqlStockLevelRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        # The levels read to change (one object per level) and their figures as last written.
        self._seen: dict[Key, StockLevel] = {}
        self._read: dict[Key, Figures] = {}

    async def get(self, warehouse_id: str, product_id: str) -> StockLevel | None:
        key = (warehouse_id, product_id)
        if key not in self._seen:
            found = await self.page(1, product_id, warehouse_id)
            if not found:
                return None
            self._seen[key], self._read[key] = found[0], _figures(found[0])
        return self._seen[key]

    async def ensure(self, warehouse_id: str, product_id: str) -> None:
        await self.session.execute(
            insert(stock_levels)
            .values(warehouse_id=warehouse_id, product_id=product_id)
            .on_conflict_do_nothing()
        )

    async def save(self, level: StockLevel) -> None:
        """Saves a level `get` returned."""
        key = (level.warehouse_id, level.product_id)
        on_hand, reserved, *_ = self._read[key]
        if _figures(level) == self._read[key]:
            return
        d_on_hand, d_reserved = level.on_hand - on_hand, level.reserved - reserved
        c = stock_levels.c
        moved = await self.session.execute(
            stock_levels.update()
            .where(c.warehouse_id == level.warehouse_id, c.product_id == level.product_id)
            .where(c.on_hand + d_on_hand >= c.reserved + d_reserved)
            .where(c.reserved + d_reserved >= 0)
            .values(
                on_hand=c.on_hand + d_on_hand,
                reserved=c.reserved + d_reserved,
                reorder_point=level.reorder_point,
                low_stock=level.low_stock,
            )
            .returning(c.on_hand)
        )
        if moved.first() is None:
            raise StaleStockLevel(f"{level.product_id} in {level.warehouse_id} moved meanwhile")
        self._read[key] = _figures(level)

    async def record(self, moves: Sequence[StockMoved]) -> None:
        by = current_principal().subject
        await self.session.execute(
            stock_movements.insert(),
            [
                {
                    "warehouse_id": m.warehouse_id,
                    "product_id": m.product_id,
                    "on_hand_delta": m.on_hand_delta,
                    "reserved_delta": m.reserved_delta,
                    "kind": m.kind,
                    "reason": m.reason[:500],
                    "reference": m.reference,
                    "created_by": by,
                }
                for m in moves
            ],
        )

    async def availability(self, product_ids: Iterable[str]) -> dict[str, dict[str, int]]:
        level = stock_levels.c
        rows = await self.session.execute(
            select(
                level.warehouse_id,
                level.product_id,
                (level.on_hand - level.reserved).label("available"),
            ).where(level.product_id.in_(set(product_ids)))
        )
        found: dict[str, dict[str, int]] = {}
        for row in rows:
            found.setdefault(row.warehouse_id, {})[row.product_id] = row.available
        return found

    async def page(
        self,
        limit: int,
        product_id: str = "",
        warehouse_id: str = "",
        after: tuple[str, str] | None = None,
    ) -> list[StockLevel]:
        c = stock_levels.c
        query = select(stock_levels).order_by(c.product_id, c.warehouse_id).limit(limit)
        if product_id:
            query = query.where(c.product_id == product_id)
        if warehouse_id:
            query = query.where(c.warehouse_id == warehouse_id)
        if after is not None:
            query = query.where(tuple_(c.product_id, c.warehouse_id) > tuple_(*after))
        return [
            StockLevel(
                r.warehouse_id, r.product_id, r.on_hand, r.reserved, r.reorder_point, r.low_stock
            )
            for r in await self.session.execute(query)
        ]
