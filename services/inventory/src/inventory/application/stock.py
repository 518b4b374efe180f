"""Stock use cases: warehouses, adjustments and levels."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from inventory.adapters.tables import stock_levels, stock_movements, warehouses
from inventory.domain.model import check_adjustment, check_warehouse
from servicekit.context import current_principal
from servicekit.db import Database
from servicekit.errors import AlreadyExists, FailedPrecondition, NotFound


@dataclass(frozen=True)
class Warehouse:
    id: str
    code: str
    name: str


@dataclass(frozen=True)
class StockLevel:
    warehouse_id: str
    product_id: str
    on_hand: int
    reserved: int

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved


async def record_movement(
    session: AsyncSession,
    warehouse_id: str,
    product_id: str,
    *,
    on_hand: int,
    reserved: int,
    kind: str,
    reason: str,
    reference: str | None = None,
) -> None:
    await session.execute(
        stock_movements.insert().values(
            warehouse_id=warehouse_id,
            product_id=product_id,
            on_hand_delta=on_hand,
            reserved_delta=reserved,
            kind=kind,
            reason=reason,
            reference=reference,
            created_by=current_principal().subject,
        )
    )


class Stock:
    def __init__(self, database: Database) -> None:
        self.database = database

    async def create_warehouse(self, code: str, name: str) -> Warehouse:
        check_warehouse(code, name)
        warehouse = Warehouse(str(uuid.uuid4()), code, name.strip())
        async with self.database.transaction() as session:
            created = await session.execute(
                insert(warehouses)
                .values(
                    id=warehouse.id,
                    code=code,
                    name=warehouse.name,
                    created_by=current_principal().subject,
                )
                .on_conflict_do_nothing(index_elements=["code"])
                .returning(warehouses.c.id)
            )
            if created.first() is None:
                raise AlreadyExists(f"warehouse code {code!r} already exists")
        return warehouse

    async def list_warehouses(self) -> list[Warehouse]:
        async with self.database.transaction() as session:
            rows = await session.execute(select(warehouses).order_by(warehouses.c.code))
            return [Warehouse(r.id, r.code, r.name) for r in rows]

    async def adjust(
        self, warehouse_id: str, product_id: str, delta: int, reason: str
    ) -> StockLevel:
        check_adjustment(warehouse_id, product_id, delta, reason)
        async with self.database.transaction() as session:
            known = await session.execute(
                select(warehouses.c.id).where(warehouses.c.id == warehouse_id)
            )
            if known.first() is None:
                raise NotFound(f"warehouse {warehouse_id} not found")
            await session.execute(
                insert(stock_levels)
                .values(warehouse_id=warehouse_id, product_id=product_id)
                .on_conflict_do_nothing()
            )
            level = stock_levels.c
            row = (
                await session.execute(
                    stock_levels.update()
                    .where(level.warehouse_id == warehouse_id, level.product_id == product_id)
                    .where(level.on_hand + delta >= level.reserved)
                    .values(on_hand=level.on_hand + delta)
                    .returning(level.on_hand, level.reserved)
                )
            ).first()
            if row is None:
                raise FailedPrecondition(
                    f"removing {-delta} units would leave less on hand than is reserved"
                )
            await record_movement(
                session,
                warehouse_id,
                product_id,
                on_hand=delta,
                reserved=0,
                kind="adjustment",
                reason=reason,
            )
        return StockLevel(warehouse_id, product_id, row.on_hand, row.reserved)

    async def levels(self, product_id: str = "", warehouse_id: str = "") -> list[StockLevel]:
        query = select(stock_levels).order_by(
            stock_levels.c.product_id, stock_levels.c.warehouse_id
        )
        if product_id:
            query = query.where(stock_levels.c.product_id == product_id)
        if warehouse_id:
            query = query.where(stock_levels.c.warehouse_id == warehouse_id)
        async with self.database.transaction() as session:
            rows = await session.execute(query)
            return [StockLevel(r.warehouse_id, r.product_id, r.on_hand, r.reserved) for r in rows]
