"""A store is registered with the connector (by an operator, through the CLI)."""

from __future__ import annotations

from servicekit.errors import AlreadyExists
from woocommerce.application.ports import UnitsOfWork
from woocommerce.domain.stores import Store


async def add_store(units: UnitsOfWork, store: Store) -> None:
    async with units() as uow:
        if await uow.stores.get(store.store_id) is not None:
            raise AlreadyExists(f"store {store.store_id} exists")
        await uow.stores.add(store)
