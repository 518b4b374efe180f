"""The PostgreSQL adapters keep the repository contracts (the unit tests hold the fakes to the
same), on a database migrated as the service migrates its own."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable

import pytest

from messaging.outbox import Outbox
from orders.adapters.tables import messaging_tables
from orders.adapters.unit_of_work import SqlUnitsOfWork
from orders.bootstrap import SPEC
from servicekit.db import Database, migrate
from services.orders.tests.repository_contracts import CHECKS, Check


@pytest.fixture
async def units(fresh_database: Callable[[str], Awaitable[str]]) -> AsyncIterator[SqlUnitsOfWork]:
    url = await fresh_database("orders")
    await migrate(SPEC.alembic_ini, url)
    database = Database(url)
    try:
        yield SqlUnitsOfWork(database, Outbox(messaging_tables.outbox, "orders"))
    finally:
        await database.dispose()


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.__name__)
async def test_postgresql_keeps_the_contract(check: Check, units: SqlUnitsOfWork) -> None:
    await check(units)
