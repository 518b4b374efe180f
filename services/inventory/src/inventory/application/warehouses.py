"""Warehouses: created by the warehouse, listed in allocation order a page at a time."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import and_, or_, select
from sqlalchemy.dialects.postgresql import insert

from inventory.adapters.tables import warehouses
from inventory.domain.commands import check_warehouse
from servicekit.audit import AuditLog
from servicekit.context import current_principal
from servicekit.db import Database
from servicekit.errors import AlreadyExists, InvalidArgument
from servicekit.paging import page_after, page_limit, page_token


@dataclass(frozen=True)
class Warehouse:
    id: str
    code: str
    name: str
    priority: int = 0


class Warehouses:
    def __init__(self, database: Database, audit: AuditLog) -> None:
        self.database = database
        self.audit = audit

    async def create(self, code: str, name: str, priority: int = 0) -> Warehouse:
        check_warehouse(code, name, priority)
        warehouse = Warehouse(str(uuid.uuid4()), code, name.strip(), priority)
        async with self.database.transaction() as session:
            created = await session.execute(
                insert(warehouses)
                .values(
                    id=warehouse.id,
                    code=code,
                    name=warehouse.name,
                    priority=priority,
                    created_by=current_principal().subject,
                )
                .on_conflict_do_nothing(index_elements=["code"])
                .returning(warehouses.c.id)
            )
            if created.first() is None:
                raise AlreadyExists(f"warehouse code {code!r} already exists")
            await self.audit.record(
                session,
                "warehouse",
                warehouse.id,
                "created",
                after={"code": code, "name": warehouse.name, "priority": priority},
            )
        return warehouse

    async def page(self, page_size: int = 0, token: str = "") -> tuple[list[Warehouse], str]:
        """Warehouses in allocation order (priority, then code), and the next page's token."""
        limit = page_limit(page_size)
        c = warehouses.c
        query = select(warehouses).order_by(c.priority, c.code).limit(limit + 1)
        after = page_after(token, 2)
        if after:
            try:
                priority = int(after[0])
            except ValueError as error:
                raise InvalidArgument.of("page_token", "not a token this API issued") from error
            code = after[1]
            query = query.where(
                or_(c.priority > priority, and_(c.priority == priority, c.code > code))
            )
        async with self.database.transaction() as session:
            rows = list(await session.execute(query))
        found = [Warehouse(r.id, r.code, r.name, r.priority) for r in rows[:limit]]
        if len(rows) > limit:
            return found, page_token(str(found[-1].priority), found[-1].code)
        return found, ""
