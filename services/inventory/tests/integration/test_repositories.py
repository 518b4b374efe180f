"""The PostgreSQL repositories keep the same contract as the fakes the unit tests run on."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable

import pytest

from inventory.adapters.tables import audit_log, messaging_tables, processed_requests
from inventory.adapters.unit_of_work import Storage
from inventory.bootstrap import SPEC
from messaging.outbox import Outbox
from servicekit.audit import AuditLog
from servicekit.db import Database, migrate
from servicekit.idempotency import ProcessedRequests
from services.inventory.tests.repository_contracts import CHECKS, NewUnitOfWork


@pytest.fixture
async def storage(fresh_database: Callable[[str], Awaitable[str]]) -> AsyncIterator[Storage]:
    url = await fresh_database("inventory")
    await migrate(SPEC.alembic_ini, url)
    database = Database(url)
    try:
        yield Storage(
            database,
            Outbox(messaging_tables.outbox, "inventory"),
            AuditLog(audit_log),
            ProcessedRequests(processed_requests),
        )
    finally:
        await database.dispose()


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.__name__)
async def test_sql_repositories(
    check: Callable[[NewUnitOfWork], Awaitable[None]], storage: Storage
) -> None:
    await check(storage.unit_of_work)
