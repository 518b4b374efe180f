"""The customers a store's buyers became in orders, on PostgreSQL."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert

from servicekit.db import Transaction
from woocommerce.adapters.tables import customers


class SqlCustomers:
    def __init__(self, session: Transaction) -> None:
        self.session = session

    async def get(self, store_id: str, key: str) -> str | None:
        found = await self.session.scalar(
            select(customers.c.customer_id).where(
                customers.c.store_id == store_id, customers.c.customer_key == key
            )
        )
        return None if found is None else str(found)

    async def add(self, store_id: str, key: str, customer_id: str) -> None:
        await self.session.execute(
            insert(customers)
            .values(store_id=store_id, customer_key=key[:300], customer_id=customer_id)
            .on_conflict_do_nothing()
        )
