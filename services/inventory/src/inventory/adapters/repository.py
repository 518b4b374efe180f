"""SQL for stock, the reservation ledger and the backorder queue, within the caller's transaction.

Concurrency: every transaction that changes a product's stock, reservations or backorders first
takes that product's advisory lock (`lock_products`, all of them at once, in one global order,
so two transactions never wait on each other in a cycle). Replicas share the database, so they
share the locks. The conditional updates and `CHECK (on_hand >= reserved)` stay as the last
line of defence: a bug can fail a transaction, never oversell."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Row, and_, func, select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from inventory.adapters.tables import (
    expected_goods,
    reservation_lines,
    reservation_orders,
    reservations,
    stock_levels,
    stock_movements,
    warehouses,
)
from inventory.domain.allocation import Waiting
from servicekit.context import current_principal
from servicekit.errors import NotFound

# The first key of the two-key advisory locks taken on products (the second is the product's
# hash), apart from any other advisory lock in the database (migrations, the outbox relay).
PRODUCT_LOCK_SPACE = 7_262_100


def product_lock_key(product_id: str) -> int:
    """A stable signed 32-bit key for a product (collisions only serialize a little more)."""
    return int.from_bytes(hashlib.sha256(product_id.encode()).digest()[:4], "big", signed=True)


@dataclass(frozen=True)
class Level:
    warehouse_id: str
    product_id: str
    on_hand: int
    reserved: int
    reorder_point: int = 0
    low_stock: bool = False

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved


def _level(row: Row[Any]) -> Level:
    return Level(
        row.warehouse_id,
        row.product_id,
        row.on_hand,
        row.reserved,
        row.reorder_point,
        row.low_stock,
    )


class InventoryStore:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # -- locks ------------------------------------------------------------------------------

    async def lock_products(self, product_ids: Iterable[str]) -> None:
        """Holds the products' locks until the transaction ends (taken in key order)."""
        for key in sorted({product_lock_key(p) for p in product_ids}):
            await self.session.execute(
                text("SELECT pg_advisory_xact_lock(:space, :key)"),
                {"space": PRODUCT_LOCK_SPACE, "key": key},
            )

    # -- warehouses -------------------------------------------------------------------------

    async def warehouse_priority(self) -> list[str]:
        rows = await self.session.execute(
            select(warehouses.c.id).order_by(warehouses.c.priority, warehouses.c.code)
        )
        return [row.id for row in rows]

    async def missing_warehouses(self, warehouse_ids: Iterable[str]) -> list[str]:
        wanted = set(warehouse_ids)
        rows = await self.session.execute(
            select(warehouses.c.id).where(warehouses.c.id.in_(wanted))
        )
        return sorted(wanted - {row.id for row in rows})

    async def require_warehouses(self, *warehouse_ids: str) -> None:
        """NotFound naming the first of `warehouse_ids` that does not exist."""
        missing = await self.missing_warehouses(warehouse_ids)
        if missing:
            raise NotFound(f"warehouse {missing[0]} not found")

    # -- stock levels -----------------------------------------------------------------------

    async def availability(self, product_ids: Iterable[str]) -> dict[str, dict[str, int]]:
        """warehouse id -> product id -> units available."""
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

    async def ensure_level(self, warehouse_id: str, product_id: str) -> None:
        await self.session.execute(
            insert(stock_levels)
            .values(warehouse_id=warehouse_id, product_id=product_id)
            .on_conflict_do_nothing()
        )

    async def level(self, warehouse_id: str, product_id: str) -> Level | None:
        row = (
            await self.session.execute(
                select(stock_levels).where(
                    stock_levels.c.warehouse_id == warehouse_id,
                    stock_levels.c.product_id == product_id,
                )
            )
        ).first()
        return None if row is None else _level(row)

    async def move(
        self, warehouse_id: str, product_id: str, *, on_hand: int, reserved: int
    ) -> Level | None:
        """Changes a level unless that would leave it oversold or negative: None then."""
        level = stock_levels.c
        row = (
            await self.session.execute(
                stock_levels.update()
                .where(level.warehouse_id == warehouse_id, level.product_id == product_id)
                .where(level.on_hand + on_hand >= level.reserved + reserved)
                .where(level.reserved + reserved >= 0)
                .values(on_hand=level.on_hand + on_hand, reserved=level.reserved + reserved)
                .returning(stock_levels)
            )
        ).first()
        return None if row is None else _level(row)

    async def set_low_stock(self, warehouse_id: str, product_id: str, low: bool) -> None:
        await self.session.execute(
            stock_levels.update()
            .where(
                stock_levels.c.warehouse_id == warehouse_id,
                stock_levels.c.product_id == product_id,
            )
            .values(low_stock=low)
        )

    async def set_reorder_point(self, warehouse_id: str, product_id: str, point: int) -> None:
        await self.session.execute(
            stock_levels.update()
            .where(
                stock_levels.c.warehouse_id == warehouse_id,
                stock_levels.c.product_id == product_id,
            )
            .values(reorder_point=point)
        )

    async def record_movement(
        self,
        warehouse_id: str,
        product_id: str,
        *,
        on_hand: int,
        reserved: int,
        kind: str,
        reason: str,
        reference: str | None = None,
    ) -> None:
        await self.session.execute(
            stock_movements.insert().values(
                warehouse_id=warehouse_id,
                product_id=product_id,
                on_hand_delta=on_hand,
                reserved_delta=reserved,
                kind=kind,
                reason=reason[:500],
                reference=reference,
                created_by=current_principal().subject,
            )
        )

    async def incoming(
        self, product_ids: Iterable[str], warehouse_id: str = ""
    ) -> dict[tuple[str, str], int]:
        """(warehouse id, product id) -> units announced by purchase orders, not received, for
        `product_ids` (in `warehouse_id`, when given)."""
        goods = expected_goods.c
        query = (
            select(
                goods.warehouse_id,
                goods.product_id,
                func.sum(func.greatest(goods.expected - goods.received, 0)).label("incoming"),
            )
            .where(goods.expected > goods.received, goods.product_id.in_(set(product_ids)))
            .group_by(goods.warehouse_id, goods.product_id)
        )
        if warehouse_id:
            query = query.where(goods.warehouse_id == warehouse_id)
        return {
            (r.warehouse_id, r.product_id): int(r.incoming)
            for r in await self.session.execute(query)
        }

    async def backordered(self, product_ids: Iterable[str]) -> dict[str, int]:
        """product id -> units orders wait for."""
        line = reservation_lines.c
        rows = await self.session.execute(
            select(line.product_id, func.sum(line.backordered).label("units"))
            .where(line.product_id.in_(set(product_ids)), line.backordered > 0)
            .group_by(line.product_id)
        )
        return {r.product_id: int(r.units) for r in rows}

    # -- orders and their lines -------------------------------------------------------------

    async def order(self, order_id: str, *, for_update: bool = False) -> Row[Any] | None:
        query = select(reservation_orders).where(reservation_orders.c.order_id == order_id)
        if for_update:
            query = query.with_for_update()
        return (await self.session.execute(query)).first()

    async def add_order(self, order_id: str, status: str, placed_at: datetime) -> bool:
        """False when the order is known already."""
        added = await self.session.execute(
            insert(reservation_orders)
            .values(order_id=order_id, status=status, placed_at=placed_at)
            .on_conflict_do_nothing()
            .returning(reservation_orders.c.order_id)
        )
        return added.first() is not None

    async def set_order_status(self, order_id: str, status: str, **times: datetime) -> None:
        await self.session.execute(
            reservation_orders.update()
            .where(reservation_orders.c.order_id == order_id)
            .values(status=status, **times)
        )

    async def set_hold(self, order_id: str, on_hold: bool, reason: str) -> None:
        await self.session.execute(
            reservation_orders.update()
            .where(reservation_orders.c.order_id == order_id)
            .values(on_hold=on_hold, hold_reason=reason)
        )

    async def lock_orders(self, order_ids: Iterable[str]) -> None:
        """Row locks on orders, in id order: whoever fills an order's last backorder sees what
        every other filler of the same order committed."""
        ids = sorted(set(order_ids))
        if ids:
            await self.session.execute(
                select(reservation_orders.c.order_id)
                .where(reservation_orders.c.order_id.in_(ids))
                .order_by(reservation_orders.c.order_id)
                .with_for_update()
            )

    async def open_orders_placed_before(self, moment: datetime, limit: int) -> list[str]:
        rows = await self.session.execute(
            select(reservation_orders.c.order_id)
            .where(reservation_orders.c.status == "open", reservation_orders.c.placed_at < moment)
            .order_by(reservation_orders.c.placed_at)
            .limit(limit)
        )
        return [row.order_id for row in rows]

    async def lines(
        self, order_id: str, *, after_position: int = -1, limit: int | None = None
    ) -> list[Row[Any]]:
        """The order's lines in order (those after `after_position`, at most `limit`)."""
        line = reservation_lines.c
        rows = await self.session.execute(
            select(reservation_lines)
            .where(line.order_id == order_id, line.position > after_position)
            .order_by(line.position)
            .limit(limit)
        )
        return list(rows)

    async def add_line(
        self,
        order_id: str,
        line_id: str,
        product_id: str,
        sku: str,
        position: int,
        quantity: int,
        backordered: int,
        placed_at: datetime,
    ) -> None:
        await self.session.execute(
            reservation_lines.insert().values(
                order_id=order_id,
                line_id=line_id,
                product_id=product_id,
                sku=sku[:64],
                position=position,
                quantity=quantity,
                backordered=backordered,
                placed_at=placed_at,
            )
        )

    async def update_line(
        self, order_id: str, line_id: str, *, quantity: int | None = None, backordered: int = 0
    ) -> None:
        """Sets the quantity (when given) and adds `backordered` to the units waiting."""
        line = reservation_lines.c
        values: dict[str, Any] = {"backordered": line.backordered + backordered}
        if quantity is not None:
            values["quantity"] = quantity
        await self.session.execute(
            reservation_lines.update()
            .where(line.order_id == order_id, line.line_id == line_id)
            .values(**values)
        )

    async def drop_backorders(self, order_id: str) -> list[Row[Any]]:
        """Sets every waiting line of the order to 0 waiting; returns what waited."""
        line = reservation_lines.c
        waited = await self.lines(order_id)
        await self.session.execute(
            reservation_lines.update()
            .where(line.order_id == order_id, line.backordered > 0)
            .values(backordered=0)
        )
        return [row for row in waited if row.backordered > 0]

    async def queue(self, product_id: str) -> list[Waiting]:
        """The product's backorders, first come (placement time, then line) first."""
        line = reservation_lines.c
        rows = await self.session.execute(
            select(line.order_id, line.line_id, line.product_id, line.backordered)
            .where(line.product_id == product_id, line.backordered > 0)
            .order_by(line.placed_at, line.order_id, line.position)
        )
        return [Waiting(r.order_id, r.line_id, r.product_id, r.backordered) for r in rows]

    async def waiting_units(self, order_ids: Iterable[str]) -> dict[str, int]:
        """order id -> units its lines still wait for (0 for those waiting for nothing)."""
        ids = set(order_ids)
        line = reservation_lines.c
        rows = await self.session.execute(
            select(line.order_id, func.sum(line.backordered).label("units"))
            .where(line.order_id.in_(ids))
            .group_by(line.order_id)
        )
        found = {r.order_id: int(r.units) for r in rows}
        return {order_id: found.get(order_id, 0) for order_id in ids}

    # -- the reservation ledger ---------------------------------------------------------------

    async def ledger(
        self, order_id: str, *, warehouse_id: str = "", for_update: bool = False
    ) -> list[Row[Any]]:
        """The order's ledger rows (in one warehouse, when given); `for_update` locks them, for
        callers that hold the locks of every product they name."""
        query = (
            select(reservations)
            .where(reservations.c.order_id == order_id)
            .order_by(reservations.c.id)
        )
        if warehouse_id:
            query = query.where(reservations.c.warehouse_id == warehouse_id)
        if for_update:
            query = query.with_for_update()
        return list(await self.session.execute(query))

    async def reserve(
        self, order_id: str, line_id: str, product_id: str, warehouse_id: str, units: int
    ) -> None:
        """Adds units held for a line in a warehouse (its ledger row is made on first use)."""
        statement = insert(reservations).values(
            order_id=order_id,
            line_id=line_id,
            product_id=product_id,
            warehouse_id=warehouse_id,
            reserved=units,
            created_by=current_principal().subject,
        )
        await self.session.execute(
            statement.on_conflict_do_update(
                constraint="uq_reservations_order_line_warehouse",
                set_={"reserved": reservations.c.reserved + units},
            )
        )

    async def take_reserved(
        self, order_id: str, line_id: str, warehouse_id: str, units: int, *, into: str
    ) -> bool:
        """Moves units held into `consumed` or `released`; False when fewer are held."""
        row = reservations.c
        column = {"consumed": row.consumed, "released": row.released}[into]
        moved = await self.session.execute(
            reservations.update()
            .where(
                and_(
                    row.order_id == order_id,
                    row.line_id == line_id,
                    row.warehouse_id == warehouse_id,
                    row.reserved >= units,
                )
            )
            .values({row.reserved: row.reserved - units, column: column + units})
            .returning(row.id)
        )
        return moved.first() is not None


def held_by_warehouse(
    rows: Sequence[Row[Any]], line_id: str, priority: Sequence[str]
) -> list[tuple[str, int]]:
    """A line's reserved units per warehouse, in warehouse priority order."""
    rank = {w: i for i, w in enumerate(priority)}
    held = [(r.warehouse_id, int(r.reserved)) for r in rows if r.line_id == line_id and r.reserved]
    return sorted(held, key=lambda h: (rank.get(h[0], len(rank)), h[0]))
