"""A shipment and its order arrive on two topics and may be applied at the same moment: the
shipment, finding no copy of its order, is parked while the order's copy is being made. The
order's reaction must then see it parked and invoice it, not miss it (found by tests/faults: a
billing restart left two quote orders shipped and never invoiced)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from functools import partial

import pytest
from sqlalchemy import text

from billing.adapters.tables import messaging_tables
from billing.adapters.unit_of_work import SqlUnitOfWork
from billing.application.reactions.on_sales_order_placed import on_sales_order_placed
from billing.application.reactions.on_shipment_dispatched import on_shipment_dispatched
from billing.bootstrap import SPEC
from devstack.postgres import PostgresCluster
from messaging.outbox import Outbox
from servicekit.db import Database, migrate
from services.billing.tests.repository_contracts import Units
from services.billing.tests.unit.builders import a_shipment, an_order, as_user


@pytest.fixture
async def units(pg_cluster: PostgresCluster) -> AsyncIterator[Units]:
    name = f"billing_{uuid.uuid4().hex[:10]}"
    await pg_cluster.create_database(name)
    await migrate(SPEC.alembic_ini, pg_cluster.url(name))
    database = Database(pg_cluster.url(name), pool_size=3)
    yield partial(SqlUnitOfWork, database, Outbox(messaging_tables.outbox, "billing"))
    await database.dispose()


async def test_a_shipment_parked_as_its_order_arrives_is_invoiced(units: Units) -> None:
    order = an_order()
    shipment = a_shipment(order, quantity=3)
    parked = asyncio.Event()

    async def ship() -> None:
        async with units() as uow:
            await on_shipment_dispatched(uow, shipment)  # no copy of the order yet: parked
            parked.set()
            await asyncio.sleep(0.5)  # not committed while the order's copy is made

    async def place() -> None:
        await parked.wait()
        async with units() as uow:
            await on_sales_order_placed(uow, order)

    with as_user("billing-consumer", "admin"):
        await asyncio.gather(ship(), place())
    async with units() as uow:
        invoiced = await uow.session.execute(
            text("SELECT count(*) FROM invoices WHERE shipment_id = :s"),
            {"s": shipment.shipment_id},
        )
        waiting = await uow.session.execute(text("SELECT count(*) FROM pending_shipments"))
        assert (invoiced.scalar_one(), waiting.scalar_one()) == (1, 0)
