"""The PostgreSQL repositories keep the same contract as the fakes the unit tests run on."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime

import pytest

from inventory.adapters.tables import audit_log, messaging_tables, processed_requests
from inventory.adapters.unit_of_work import Storage
from inventory.bootstrap import SPEC
from inventory.domain.events import ShippedLine
from inventory.domain.shipment import Shipment
from messaging.consumer import IN_BATCH, BatchConflict
from messaging.outbox import Outbox
from servicekit.audit import AuditLog
from servicekit.db import Database, driver, migrate
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


async def test_a_shipment_is_written_by_the_statement_its_unit_of_work_commits_with(
    storage: Storage,
) -> None:
    """A dispatch holds its products' locks until it commits: its shipment and lines go in the
    one statement sent as it commits, with its outbox rows, not a round trip each before."""
    shipment, events = Shipment.dispatch(
        str(uuid.uuid4()),
        "o-1",
        "w-1",
        [ShippedLine("l-1", "p-1", 2), ShippedLine("l-2", "p-2", 1)],
        "DHL",
        "1Z",
        datetime(2026, 12, 6, 12, 0, tzinfo=UTC),
        "wendy",
    )
    sent: list[str] = []
    async with storage.unit_of_work() as uow:
        (await driver(uow.session)).add_query_logger(lambda record: sent.append(record.query))
        await uow.shipments.add(shipment)
        await uow.publish(events)
    (written,) = [q for q in sent if "INSERT" in q]
    assert all(f"INSERT INTO {t} " in written for t in ("shipments", "shipment_lines", "outbox"))
    async with storage.unit_of_work() as uow:
        assert await uow.shipments.get(shipment.id) == shipment
