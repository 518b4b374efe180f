"""Supplier use cases: each write is one transaction with its event."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from messaging.outbox import Outbox
from oms.events.v1 import procurement_pb2 as events
from procurement.adapters.repository import SupplierRepository
from procurement.domain.model import (
    Contact,
    Supplier,
    SupplierChange,
    changed_supplier,
    new_supplier,
)
from servicekit.context import current_principal
from servicekit.db import Database
from servicekit.errors import AlreadyExists, NotFound


def utc_now() -> datetime:
    return datetime.now(UTC)


class Suppliers:
    def __init__(
        self, database: Database, outbox: Outbox, clock: Callable[[], datetime] = utc_now
    ) -> None:
        self.database = database
        self.outbox = outbox
        self.clock = clock

    async def create(
        self,
        name: str,
        email: str,
        currency: str,
        contacts: Sequence[Contact] = (),
        payment_terms: str = "",
        rating: int = 0,
    ) -> Supplier:
        supplier = new_supplier(
            name,
            email,
            currency,
            self.clock(),
            current_principal().subject,
            contacts,
            payment_terms,
            rating,
        )
        async with self.database.transaction() as session:
            if not await SupplierRepository(session).add(supplier):
                raise AlreadyExists(f"a supplier named {supplier.name!r} already exists")
            created = events.SupplierCreated(
                supplier_id=supplier.id, name=supplier.name, currency=supplier.currency
            )
            await self.outbox.add(session, created, key=supplier.id)
        return supplier

    async def update(self, supplier_id: str, change: SupplierChange) -> Supplier:
        async with self.database.transaction() as session:
            repository = SupplierRepository(session)
            supplier = await repository.get(supplier_id, for_update=True)
            if supplier is None:
                raise NotFound(f"supplier {supplier_id} not found")
            supplier = changed_supplier(supplier, change, self.clock())
            await repository.save(supplier)
        return supplier

    async def find(self) -> list[Supplier]:
        async with self.database.transaction() as session:
            return await SupplierRepository(session).find()

    async def get(self, supplier_id: str) -> Supplier:
        async with self.database.transaction() as session:
            supplier = await SupplierRepository(session).get(supplier_id)
        if supplier is None:
            raise NotFound(f"supplier {supplier_id} not found")
        return supplier
