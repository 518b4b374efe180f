"""A store's orders in the connector, with their state and why."""

from __future__ import annotations

from woocommerce.application.ports import UnitsOfWork
from woocommerce.domain.connector_orders import ConnectorOrder
from woocommerce.domain.stores import Store


async def store_orders(units: UnitsOfWork, store_id: str) -> list[ConnectorOrder]:
    async with units() as uow:
        return await uow.orders.of_store(store_id)


async def stores(units: UnitsOfWork) -> list[Store]:
    async with units() as uow:
        return await uow.stores.all()
