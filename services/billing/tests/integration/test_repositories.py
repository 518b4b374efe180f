"""The PostgreSQL adapters keep the contract the fakes keep (tests/repository_contracts.py): one
migrated database, emptied before each check."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from functools import partial

import pytest
from sqlalchemy import text

from billing.adapters.tables import invoice_sequences, messaging_tables, metadata
from billing.adapters.unit_of_work import SqlNumbers, SqlUnitOfWork
from billing.application.ports import INVOICES
from billing.bootstrap import SPEC
from devstack.postgres import PostgresCluster
from messaging.consumer import IN_BATCH, BatchConflict
from messaging.outbox import Outbox
from servicekit.db import Database, migrate
from servicekit.numbering import next_number
from services.billing.tests.dunning_contracts import DUNNING_CHECKS
from services.billing.tests.repository_contracts import EVERY_CHECK, Check, Units


@pytest.fixture(scope="module")
async def database(pg_cluster: PostgresCluster) -> AsyncIterator[Database]:
    name = f"billing_{uuid.uuid4().hex[:10]}"
    await pg_cluster.create_database(name)
    await migrate(SPEC.alembic_ini, pg_cluster.url(name))
    database = Database(pg_cluster.url(name), pool_size=2)
    yield database
    await database.dispose()


@pytest.fixture
async def units(database: Database) -> Units:
    tables = ", ".join(t.name for t in metadata.sorted_tables)
    async with database.transaction() as session:
        await session.execute(text(f"TRUNCATE {tables} RESTART IDENTITY"))
    return partial(SqlUnitOfWork, database, Outbox(messaging_tables.outbox, "billing"))


@pytest.mark.parametrize("check", EVERY_CHECK, ids=lambda c: c.__name__)
async def test_the_database_keeps_the_contract(check: Check, units: Units) -> None:
    await check(units)


@pytest.mark.parametrize("check", DUNNING_CHECKS, ids=lambda c: c.__name__)
async def test_the_database_keeps_the_dunning_contract(check: Check, units: Units) -> None:
    await check(units)


async def test_an_event_batch_takes_the_invoice_counter_only_when_it_is_free(
    database: Database,
) -> None:
    """A batch holds its earlier events' locks, so it does not wait for the counter: another
    transaction holding it makes it BatchConflict (the events before it commit and it is
    applied alone, waiting its turn)."""
    year = datetime.now(UTC).year
    async with database.transaction() as holder:
        await next_number(holder, invoice_sequences, year)
    async with database.transaction() as holder:
        await next_number(holder, invoice_sequences, year)  # holds the counter until it ends
        async with database.transaction() as batch:
            batch.info[IN_BATCH] = True
            with pytest.raises(BatchConflict):
                await SqlNumbers(batch).take_turn(INVOICES)
        async with database.transaction() as alone:
            await SqlNumbers(alone).take_turn(INVOICES)  # not a batch: nothing to take now

    async with database.transaction() as batch:
        batch.info[IN_BATCH] = True
        await SqlNumbers(batch).take_turn(INVOICES)  # free: taken
        async with database.transaction() as other:
            other.info[IN_BATCH] = True
            with pytest.raises(BatchConflict):
                await SqlNumbers(other).take_turn(INVOICES)
        taken = await next_number(batch, invoice_sequences, year)
    async with database.transaction() as after:
        assert await next_number(after, invoice_sequences, year) == taken + 1
