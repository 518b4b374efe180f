"""Warehouses on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import and_, or_, select
from sqlalchemy.dialects.postgresql import insert

from inventory.adapters.tables import warehouses
from inventory.domain.warehouse import Warehouse
from servicekit.context import current_principal
from servicekit.db import DriverStatement, Transaction

# Built once and sent on the driver: every reservation asks.
_PRIORITY = DriverStatement(
    select(warehouses.c.id).order_by(warehouses.c.priority, warehouses.c.code)
)


class SqlWarehouseRepository:
    def __init__(self, session: Transaction) -> None:
        self.session = session

    async def add(self, warehouse: Warehouse) -> bool:
        created = await self.session.execute(
            insert(warehouses)
            .values(
                id=warehouse.id,
                code=warehouse.code,
                name=warehouse.name,
                priority=warehouse.priority,
                created_by=current_principal().subject,
            )
            .on_conflict_do_nothing(index_elements=["code"])
            .returning(warehouses.c.id)
        )
        return created.first() is not None

    async def get(self, warehouse_id: str) -> Warehouse | None:
        rows = await self.session.execute(select(warehouses).where(warehouses.c.id == warehouse_id))
        row = rows.first()
        return None if row is None else Warehouse(row.id, row.code, row.name, row.priority)

    async def priority(self) -> list[str]:
        return [row["id"] for row in await _PRIORITY.fetch(self.session)]

    async def missing(self, warehouse_ids: Iterable[str]) -> list[str]:
        wanted = set(warehouse_ids)
        rows = await self.session.execute(
            select(warehouses.c.id).where(warehouses.c.id.in_(wanted))
        )
        return sorted(wanted - {row.id for row in rows})

    async def page(self, limit: int, after: tuple[int, str] | None = None) -> list[Warehouse]:
        c = warehouses.c
        query = select(warehouses).order_by(c.priority, c.code).limit(limit)
        if after is not None:
            priority, code = after
            query = query.where(
                or_(c.priority > priority, and_(c.priority == priority, c.code > code))
            )
        rows = await self.session.execute(query)
        return [Warehouse(r.id, r.code, r.name, r.priority) for r in rows]
