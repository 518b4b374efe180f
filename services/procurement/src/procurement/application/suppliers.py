"""Supplier use cases: each write is one transaction with its event."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert

from messaging.outbox import Outbox
from oms.events.v1 import procurement_pb2 as events
from procurement.adapters.tables import suppliers
from procurement.domain.model import Supplier, new_supplier
from servicekit.context import current_principal
from servicekit.db import Database
from servicekit.errors import AlreadyExists, NotFound


class Suppliers:
    def __init__(self, database: Database, outbox: Outbox) -> None:
        self.database = database
        self.outbox = outbox

    async def create(self, name: str, email: str, currency: str) -> Supplier:
        supplier = new_supplier(
            name, email, currency, datetime.now(UTC), current_principal().subject
        )
        async with self.database.transaction() as session:
            added = await session.execute(
                insert(suppliers)
                .values(
                    id=supplier.id,
                    name=supplier.name,
                    email=supplier.email,
                    currency=supplier.currency,
                    created_at=supplier.created_at,
                    created_by=supplier.created_by,
                )
                .on_conflict_do_nothing(index_elements=["name"])
                .returning(suppliers.c.id)
            )
            if added.first() is None:
                raise AlreadyExists(f"a supplier named {supplier.name!r} already exists")
            created = events.SupplierCreated(
                supplier_id=supplier.id, name=supplier.name, currency=supplier.currency
            )
            await self.outbox.add(session, created, key=supplier.id)
        return supplier

    async def find(self, supplier_id: str = "") -> list[Supplier]:
        query = select(suppliers).order_by(suppliers.c.name)
        if supplier_id:
            query = query.where(suppliers.c.id == supplier_id)
        async with self.database.transaction() as session:
            rows = await session.execute(query)
            return [
                Supplier(r.id, r.name, r.email, r.currency, r.created_at, r.created_by)
                for r in rows
            ]

    async def get(self, supplier_id: str) -> Supplier:
        found = await self.find(supplier_id)
        if not found:
            raise NotFound(f"supplier {supplier_id} not found")
        return found[0]
