"""Quoting's repositories and unit of work on PostgreSQL keep the contract the fakes keep."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable

import pytest

from messaging.outbox import Outbox
from quoting.adapters.tables import audit_log, messaging_tables
from quoting.adapters.unit_of_work import SqlUnitOfWork
from quoting.application.ports import UnitOfWork, UnitOfWorkFactory
from quoting.bootstrap import SPEC
from servicekit.audit import AuditLog
from servicekit.db import Database, migrate
from services.quoting.tests.repository_contracts import CHECKS, Check


@pytest.fixture
async def database(fresh_database: Callable[[str], Awaitable[str]]) -> AsyncIterator[Database]:
    """A migrated database of its own for each check."""
    url = await fresh_database("quoting")
    await migrate(SPEC.alembic_ini, url)
    database = Database(url)
    yield database
    await database.dispose()


@pytest.fixture
def uow(database: Database) -> UnitOfWorkFactory:
    outbox, audit = Outbox(messaging_tables.outbox, "quoting"), AuditLog(audit_log)

    def make() -> UnitOfWork:
        return SqlUnitOfWork(database, outbox, audit)

    return make


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.__name__)
async def test_postgresql_repositories(check: Check, uow: UnitOfWorkFactory) -> None:
    await check(uow)
