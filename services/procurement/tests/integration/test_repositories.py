"""The PostgreSQL repositories keep the contract the unit tests' fakes keep
(tests/repository_contracts.py), on one migrated database emptied before each check."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import text

from devstack.postgres import PostgresCluster
from messaging.outbox import Outbox
from procurement.adapters.tables import audit_log, messaging_tables, metadata, processed_requests
from procurement.adapters.unit_of_work import SqlUnitsOfWork
from procurement.application.ports import UnitsOfWork
from procurement.bootstrap import SPEC
from servicekit.audit import AuditLog
from servicekit.db import Database, migrate
from services.procurement.tests.repository_contracts import CHECKS, Check


@pytest.fixture(scope="module")
async def database(pg_cluster: PostgresCluster) -> AsyncIterator[Database]:
    name = f"procurement_repositories_{uuid.uuid4().hex[:8]}"
    await pg_cluster.create_database(name)
    url = pg_cluster.url(name)
    await migrate(SPEC.alembic_ini, url)
    database = Database(url)
    yield database
    await database.dispose()


@pytest.fixture
async def units(database: Database) -> UnitsOfWork:
    tables = ", ".join(table.name for table in metadata.sorted_tables)
    async with database.transaction() as session:
        await session.execute(text(f"TRUNCATE {tables}"))
    outbox = Outbox(messaging_tables.outbox, SPEC.name)
    return SqlUnitsOfWork(database, outbox, AuditLog(audit_log), processed_requests).begin


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.__name__)
async def test_postgresql_repositories(check: Check, units: UnitsOfWork) -> None:
    await check(units)
