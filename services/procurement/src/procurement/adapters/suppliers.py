"""Suppliers in PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict
from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.dialects.postgresql import insert

from procurement.adapters.tables import suppliers
from procurement.domain.suppliers import Contact, Supplier
from servicekit.db import Transaction


def _supplier(row: Row[Any]) -> Supplier:
    return Supplier(
        row.id,
        row.name,
        row.email,
        row.currency,
        row.created_at,
        row.created_by,
        tuple(Contact(**c) for c in row.contacts),
        row.payment_terms,
        row.rating,
        row.updated_at,
    )


def _details(supplier: Supplier) -> dict[str, Any]:
    return {
        "email": supplier.email,
        "contacts": [asdict(c) for c in supplier.contacts],
        "payment_terms": supplier.payment_terms,
        "rating": supplier.rating,
        "updated_at": supplier.updated_at,
    }


class SqlSupplierRepository:
    def __init__(self, session: Transaction) -> None:
        self.session = session

    async def add(self, supplier: Supplier) -> bool:
        added = await self.session.execute(
            insert(suppliers)
            .values(
                id=supplier.id,
                name=supplier.name,
                created_at=supplier.created_at,
                created_by=supplier.created_by,
                currency=supplier.currency,
                **_details(supplier),
            )
            .on_conflict_do_nothing(index_elements=["name"])
            .returning(suppliers.c.id)
        )
        return added.first() is not None

    async def save(self, supplier: Supplier) -> None:
        await self.session.execute(
            suppliers.update().where(suppliers.c.id == supplier.id).values(**_details(supplier))
        )

    async def find(self, supplier_ids: Iterable[str]) -> list[Supplier]:
        query = select(suppliers).where(suppliers.c.id.in_(list(supplier_ids)))
        query = query.order_by(suppliers.c.name)
        return [_supplier(row) for row in await self.session.execute(query)]

    async def page(self, after: str, limit: int) -> list[Supplier]:
        query = select(suppliers).order_by(suppliers.c.name).limit(limit)
        if after:
            query = query.where(suppliers.c.name > after)
        return [_supplier(row) for row in await self.session.execute(query)]

    async def get(self, supplier_id: str, *, for_update: bool = False) -> Supplier | None:
        if not supplier_id:
            return None
        query = select(suppliers).where(suppliers.c.id == supplier_id)
        row = (await self.session.execute(query.with_for_update() if for_update else query)).first()
        return None if row is None else _supplier(row)
