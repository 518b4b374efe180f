"""The PostgreSQL repositories keep the same contract as the fakes the unit tests run on."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable

import pytest

from inventory.adapters.tables import audit_log, messaging_tables, processed_requests
from inventory.adapters.unit_of_work import Storage
from inventory.bootstrap import SPEC
from messaging.consumer import IN_BATCH, BatchConflict
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


async def test_an_event_batch_only_tries_the_product_locks_others_hold(storage: Storage) -> None:
    """A batch holds its earlier events' locks, so waiting could close a cycle: it gives up at
    once (BatchConflict): the consumer commits the events before it and applies it alone."""
    async with storage.unit_of_work() as holder:
        await holder.lock_products(["p-2", "p-1"])
        async with storage.database.transaction() as session:
            session.info[IN_BATCH] = True
            batch = storage.joining(session)
            await batch.lock_products(["p-3"])  # free: taken
            with pytest.raises(BatchConflict):
                await batch.lock_products(["p-1"])
    async with storage.database.transaction() as session:
        session.info[IN_BATCH] = True
        await storage.joining(session).lock_products(["p-1", "p-2"])  # released: taken
