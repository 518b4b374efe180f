"""The stores on PostgreSQL; their secrets sealed on the way in and opened on the way out."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select, update

from servicekit.db import Transaction
from woocommerce.adapters.secrets import SecretBox
from woocommerce.adapters.tables import stores
from woocommerce.domain.stores import Credentials, CustomerPolicy, Store, TaxRounding

_SECRETS = ("consumer_key", "consumer_secret", "webhook_secret")


class SqlStores:
    def __init__(self, session: Transaction, box: SecretBox) -> None:
        self.session = session
        self.box = box

    async def add(self, store: Store) -> None:
        sealed = {name: self.box.seal(getattr(store.credentials, name)) for name in _SECRETS}
        await self.session.execute(
            stores.insert().values(
                id=store.store_id,
                name=store.name,
                base_url=store.base_url,
                prices_include_tax=store.prices_include_tax,
                tax_rounding=store.tax_rounding.value,
                warehouses=list(store.warehouses),
                customer_policy=store.customer_policy.value,
                default_customer_id=store.default_customer_id,
                pulled_until=store.pulled_until,
                **sealed,
            )
        )

    async def get(self, store_id: str) -> Store | None:
        row = (await self.session.execute(select(stores).where(stores.c.id == store_id))).first()
        return None if row is None else self._store(row._mapping)

    async def all(self) -> list[Store]:
        rows = await self.session.execute(select(stores).order_by(stores.c.id))
        return [self._store(row._mapping) for row in rows]

    async def pulled(self, store_id: str, until: datetime) -> None:
        await self.session.execute(
            update(stores).where(stores.c.id == store_id).values(pulled_until=until)
        )

    def _store(self, row: Any) -> Store:
        return Store(
            store_id=row["id"],
            name=row["name"],
            base_url=row["base_url"],
            credentials=Credentials(*(self.box.open(row[name]) for name in _SECRETS)),
            prices_include_tax=row["prices_include_tax"],
            tax_rounding=TaxRounding(row["tax_rounding"]),
            warehouses=tuple(row["warehouses"]),
            customer_policy=CustomerPolicy(row["customer_policy"]),
            default_customer_id=row["default_customer_id"],
            pulled_until=row["pulled_until"],
        )
