"""The connector's unit of work on PostgreSQL: one transaction holding its repositories; it
commits when its block ends normally and rolls back when it raises."""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from types import TracebackType

from servicekit.db import Database, Transaction
from woocommerce.adapters.customers import SqlCustomers
from woocommerce.adapters.deliveries import SqlDeliveries
from woocommerce.adapters.orders import SqlOrders
from woocommerce.adapters.secrets import SecretBox
from woocommerce.adapters.stores import SqlStores


class SqlUnitOfWork:
    """One use case's transaction; a new one for each (`bootstrap` hands out a factory)."""

    stores: SqlStores
    deliveries: SqlDeliveries
    orders: SqlOrders
    customers: SqlCustomers

    def __init__(self, database: Database, box: SecretBox) -> None:
        self._database = database
        self._box = box
        self._transaction: AbstractAsyncContextManager[Transaction] | None = None

    async def __aenter__(self) -> SqlUnitOfWork:
        if self._transaction is not None:
            raise RuntimeError("a unit of work is used once")
        self._transaction = self._database.transaction()
        session = await self._transaction.__aenter__()
        self.stores = SqlStores(session, self._box)
        self.deliveries = SqlDeliveries(session)
        self.orders = SqlOrders(session)
        self.customers = SqlCustomers(session)
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        assert self._transaction is not None
        await self._transaction.__aexit__(kind, error, trace)
