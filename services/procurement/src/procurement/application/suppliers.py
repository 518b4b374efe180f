"""Supplier use cases: each write is one transaction with its event and its audit entry."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from messaging.outbox import Outbox
from oms.events.v1 import procurement_pb2 as events
from procurement.adapters.repository import SupplierRepository
from procurement.application.changes import SUPPLIER, supplier_fields
from procurement.domain.model import (
    Contact,
    Supplier,
    SupplierChange,
    changed_supplier,
    new_supplier,
)
from servicekit.audit import AuditLog, changed
from servicekit.context import current_principal
from servicekit.db import Database
from servicekit.errors import AlreadyExists, NotFound
from servicekit.paging import keyed_page, page_after, page_limit


def utc_now() -> datetime:
    return datetime.now(UTC)


class Suppliers:
    def __init__(
        self,
        database: Database,
        outbox: Outbox,
        audit: AuditLog,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.database = database
        self.outbox = outbox
        self.audit = audit
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
            fields = supplier_fields(supplier)
            await self.audit.record(session, SUPPLIER, supplier.id, "created", after=fields)
        return supplier

    async def update(self, supplier_id: str, change: SupplierChange) -> Supplier:
        async with self.database.transaction() as session:
            repository = SupplierRepository(session)
            supplier = await repository.get(supplier_id, for_update=True)
            if supplier is None:
                raise NotFound(f"supplier {supplier_id} not found")
            before, supplier = supplier, changed_supplier(supplier, change, self.clock())
            await repository.save(supplier)
            old, new = changed(supplier_fields(before), supplier_fields(supplier))
            if new:
                await self.audit.record(
                    session, SUPPLIER, supplier.id, "changed", before=old, after=new
                )
        return supplier

    async def page(self, page_size: int, token: str) -> tuple[list[Supplier], str]:
        """By name, a page at a time."""
        limit = page_limit(page_size)
        (after,) = page_after(token, 1) or [""]
        async with self.database.transaction() as session:
            found = await SupplierRepository(session).page(after, limit + 1)
        return keyed_page(found, limit, lambda supplier: (supplier.name,))

    async def get(self, supplier_id: str) -> Supplier:
        async with self.database.transaction() as session:
            supplier = await SupplierRepository(session).get(supplier_id)
        if supplier is None:
            raise NotFound(f"supplier {supplier_id} not found")
        return supplier
