"""The PostgreSQL adapters keep the contract the fakes keep (tests/repository_contracts.py): one
migrated database, emptied before each check."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from functools import partial

import pytest
from sqlalchemy import text

from catalog.adapters.tables import audit_log, messaging_tables, metadata, processed_requests
from catalog.adapters.unit_of_work import SqlUnitOfWork
from catalog.application.ports import UnitsOfWork
from catalog.bootstrap import SPEC
from devstack.postgres import PostgresCluster
from messaging.outbox import Outbox
from servicekit.audit import AuditLog
from servicekit.db import Database, driver, migrate
from services.catalog.tests.repository_contracts import EVERY_CHECK, Check


@pytest.fixture(scope="module")
async def database(pg_cluster: PostgresCluster) -> AsyncIterator[Database]:
    name = f"catalog_{uuid.uuid4().hex[:10]}"
    await pg_cluster.create_database(name)
    await migrate(SPEC.alembic_ini, pg_cluster.url(name))
    database = Database(pg_cluster.url(name))
    yield database
    await database.dispose()


@pytest.fixture
async def units(database: Database) -> UnitsOfWork:
    tables = ", ".join(t.name for t in metadata.sorted_tables if t.name != "alembic_version")
    async with database.transaction() as session:
        await session.execute(text(f"TRUNCATE {tables}"))
    outbox = Outbox(messaging_tables.outbox, "catalog")
    return partial(SqlUnitOfWork, database, outbox, AuditLog(audit_log), processed_requests)


@pytest.mark.parametrize("check", EVERY_CHECK, ids=lambda c: c.__name__)
async def test_the_database_keeps_the_contract(check: Check, units: UnitsOfWork) -> None:
    await check(units)


async def test_a_placements_reads_of_products_and_prices_send_no_begin_or_end(
    database: Database, units: UnitsOfWork
) -> None:
    """What every order's placement asks of the catalog, read without BEGIN, COMMIT or
    ROLLBACK (a reading unit of work; both statements on the driver)."""
    outbox = Outbox(messaging_tables.outbox, "catalog")
    reading = SqlUnitOfWork(database, outbox, AuditLog(audit_log), processed_requests, True)
    async with reading as uow:
        sent: list[str] = []
        connection = await driver(uow.products.session)
        connection.add_query_logger(lambda record: sent.append(record.query))
        assert await uow.products.get_many(["p-1"]) == []
        assert await uow.price_lists.for_products(["p-1"], "EUR") == {}
    kinds = [q.split(None, 1)[0].rstrip(";") for q in sent]
    assert not {"BEGIN", "COMMIT", "ROLLBACK"} & set(kinds), sent
    assert any("FROM price_lists JOIN price_breaks" in q for q in sent), sent
