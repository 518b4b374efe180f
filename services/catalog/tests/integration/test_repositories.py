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
from servicekit.db import Database, migrate
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
