"""Stock levels and the stock ledger on PostgreSQL.

A level is saved as the change since it was read, by a conditional update: should another
transaction have moved it meanwhile (a bug: the product's lock forbids it), the update matches
nothing rather than leave it oversold, and `CHECK (on_hand >= reserved)` backs it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import ARRAY, BigInteger, BindParameter, String, any_, bindparam, select, tuple_
from sqlalchemy.dialects.postgresql import insert

from inventory.adapters.tables import stock_levels, stock_movements
from inventory.domain.events import StockMoved
from inventory.domain.stock import StockLevel
from servicekit.context import current_principal
from servicekit.db import Columns, DriverStatement, GatheredRows, Transaction, quoted

Key = tuple[str, str]
# on hand, reserved, reorder point, low stock: as last read or written
Figures = tuple[int, int, int, bool]


class StaleStockLevel(RuntimeError):
    """A level changed by another transaction while this one held the product's lock."""


def _figures(level: StockLevel) -> Figures:
    return (level.on_hand, level.reserved, level.reorder_point, level.low_stock)


# Built once and sent on the driver: every reservation and shipment runs them. `d_*`: the
# change since the level was read.
_c = stock_levels.c
_LEVEL = DriverStatement(
    select(stock_levels).where(
        _c.warehouse_id == bindparam("b_warehouse"), _c.product_id == bindparam("b_product")
    )
)
_ENSURE = DriverStatement(insert(stock_levels).on_conflict_do_nothing())
_D_ON_HAND: BindParameter[int] = bindparam("d_on_hand", type_=BigInteger)
_D_RESERVED: BindParameter[int] = bindparam("d_reserved", type_=BigInteger)
_SAVE = DriverStatement(
    stock_levels.update()
    .where(_c.warehouse_id == bindparam("b_warehouse"), _c.product_id == bindparam("b_product"))
    .where(_c.on_hand + _D_ON_HAND >= _c.reserved + _D_RESERVED)
    .where(_c.reserved + _D_RESERVED >= 0)
    .values(on_hand=_c.on_hand + _D_ON_HAND, reserved=_c.reserved + _D_RESERVED)
)
# The ledger is gathered and sent as the transaction commits (servicekit.db.GatheredRows).
_RECORD = GatheredRows(
    f"INSERT INTO {quoted(stock_movements)} (warehouse_id, product_id, on_hand_delta,"
    " reserved_delta, kind, reason, reference, created_by)"
    " SELECT * FROM unnest($1::varchar[], $2::varchar[], $3::bigint[], $4::bigint[],"
    " $5::varchar[], $6::varchar[], $7::varchar[], $8::varchar[])",
    8,
)
_AVAILABILITY = DriverStatement(
    select(_c.warehouse_id, _c.product_id, (_c.on_hand - _c.reserved).label("available")).where(
        _c.product_id == any_(bindparam("b_products", type_=ARRAY(String)))
    )
)


def _level(r: Columns) -> StockLevel:
    return StockLevel(
        r["warehouse_id"],
        r["product_id"],
        r["on_hand"],
        r["reserved"],
        r["reorder_point"],
        r["low_stock"],
    )


class SqlStockLevelRepository:
    def __init__(self, session: Transaction) -> None:
        self.session = session
        # The levels read to change (one object per level) and their figures as last written.
        self._seen: dict[Key, StockLevel] = {}
        self._read: dict[Key, Figures] = {}

    async def get(self, warehouse_id: str, product_id: str) -> StockLevel | None:
        key = (warehouse_id, product_id)
        if key not in self._seen:
            rows = await _LEVEL.fetch(
                self.session, {"b_warehouse": warehouse_id, "b_product": product_id}
            )
            if not rows:
                return None
            level = _level(rows[0])
            self._seen[key], self._read[key] = level, _figures(level)
        return self._seen[key]

    async def ensure(self, warehouse_id: str, product_id: str) -> None:
        await _ENSURE.execute(
            self.session, {"warehouse_id": warehouse_id, "product_id": product_id}
        )

    async def save(self, level: StockLevel) -> None:
        """Saves a level `get` returned."""
        key = (level.warehouse_id, level.product_id)
        on_hand, reserved, *_ = self._read[key]
        if _figures(level) == self._read[key]:
            return
        moved = await _SAVE.execute(
            self.session,
            {
                "b_warehouse": level.warehouse_id,
                "b_product": level.product_id,
                "d_on_hand": level.on_hand - on_hand,
                "d_reserved": level.reserved - reserved,
                "reorder_point": level.reorder_point,
                "low_stock": level.low_stock,
            },
        )
        if moved != 1:
            raise StaleStockLevel(f"{level.product_id} in {level.warehouse_id} moved meanwhile")
        self._read[key] = _figures(level)

    async def record(self, moves: Sequence[StockMoved]) -> None:
        self.session.gather(
            _RECORD,
            [
                [m.warehouse_id for m in moves],
                [m.product_id for m in moves],
                [m.on_hand_delta for m in moves],
                [m.reserved_delta for m in moves],
                [m.kind for m in moves],
                [m.reason[:500] for m in moves],
                [m.reference for m in moves],
                [current_principal().subject] * len(moves),
            ],
        )

    async def availability(self, product_ids: Iterable[str]) -> dict[str, dict[str, int]]:
        rows = await _AVAILABILITY.fetch(self.session, {"b_products": list(set(product_ids))})
        found: dict[str, dict[str, int]] = {}
        for row in rows:
            found.setdefault(row["warehouse_id"], {})[row["product_id"]] = row["available"]
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
        return [_level(r._mapping) for r in await self.session.execute(query)]
