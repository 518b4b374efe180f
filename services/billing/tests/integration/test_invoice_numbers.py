"""Gap-free invoice numbers under concurrent invoicing: many shipments at once, through two
replicas sharing the database and the consumer group, with redeliveries and with transactions
that roll back after taking a number."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

import pytest

from billing.adapters.unit_of_work import SqlUnitOfWork
from billing.application.invoicing import invoice_shipment
from billing.bootstrap import SPEC
from billing.config import Settings
from billing.entrypoints.subscriptions import shipment
from messaging.outbox import Outbox
from oms.billing.v1 import billing_pb2 as pb
from oms.billing.v1 import billing_pb2_grpc
from oms.events.v1 import billing_pb2 as events
from oms.events.v1 import inventory_pb2, orders_pb2
from servicekit.db import Database
from services.billing.tests.integration.conftest import eur
from testkit.services import EventLog, free_port, namespace, publish, running

ORDERS, SHIPMENTS_PER_ORDER = 12, 5


class RolledBack(Exception):
    """Raised inside a transaction after it issued an invoice, to give its number back."""


def an_order() -> orders_pb2.SalesOrderPlaced:
    return orders_pb2.SalesOrderPlaced(
        order_id=str(uuid.uuid4()),
        customer_id=f"C-{uuid.uuid4().hex[:4]}",
        currency="EUR",
        lines=[
            orders_pb2.SalesOrderLine(
                line_id=str(uuid.uuid4()),
                product_id="p1",
                sku="SKU-1",
                quantity=1000,
                unit_price=eur("1.00"),
            )
        ],
    )


def a_shipment(order: orders_pb2.SalesOrderPlaced) -> inventory_pb2.ShipmentDispatched:
    return inventory_pb2.ShipmentDispatched(
        shipment_id=str(uuid.uuid4()),
        order_id=order.order_id,
        lines=[inventory_pb2.ShippedLine(line_id=order.lines[0].line_id, quantity=1)],
    )


async def test_many_concurrent_shipments_are_numbered_one_to_n_without_gaps_or_duplicates(
    fresh_database: Callable[[str], Awaitable[str]], kafka_bootstrap: str
) -> None:
    ns, url = namespace(), await fresh_database("billing")

    def settings() -> Settings:
        return Settings(
            database_url=url,
            kafka_bootstrap_servers=kafka_bootstrap,
            grpc_port=free_port(),
            topic_namespace=ns,
        )

    orders = [an_order() for _ in range(ORDERS)]
    shipments = [a_shipment(o) for o in orders for _ in range(SHIPMENTS_PER_ORDER)]
    database = Database(url)
    outbox = Outbox(SPEC.tables.outbox, "billing", ns)
    async with (
        running(SPEC, settings()) as channel,
        running(SPEC, settings()),
        EventLog(kafka_bootstrap, [events.InvoiceIssued], ns) as log,
    ):
        for order in orders:
            await publish(kafka_bootstrap, order, key=order.order_id, namespace=ns)
        # Every shipment at once, a third of them twice (redelivered with a new event id).
        await asyncio.gather(
            *[
                publish(kafka_bootstrap, s, key=s.order_id, namespace=ns)
                for s in shipments + shipments[::3]
            ]
        )

        # Meanwhile, transactions that take a number and roll back, and others that commit.
        async def direct(commit: bool) -> None:
            with contextlib.nullcontext() if commit else pytest.raises(RolledBack):
                async with database.transaction() as session:
                    uow = SqlUnitOfWork.joining(session, outbox)
                    await invoice_shipment(uow, shipment(a_shipment(orders[0])))
                    if not commit:
                        raise RolledBack

        await asyncio.gather(*[direct(commit=n % 2 == 0) for n in range(20)])
        expected = len(shipments) + 10
        stub = billing_pb2_grpc.BillingServiceStub(channel)

        async def all_issued() -> list[pb.Invoice]:
            for _ in range(600):
                request = pb.ListInvoicesRequest(page_size=200)
                found = list((await stub.ListInvoices(request)).invoices)
                if len(found) >= expected:
                    return found
                await asyncio.sleep(0.1)
            raise AssertionError(f"{len(found)} invoices of {expected}")

        issued = await all_issued()
        for order in orders:
            extra = 10 if order is orders[0] else 0
            await log.wait_for(order.order_id, count=SHIPMENTS_PER_ORDER + extra)
    await database.dispose()
    year = datetime.now(UTC).year
    numbers = sorted(i.number for i in issued)
    assert numbers == [f"INV-{year}-{n:06d}" for n in range(1, expected + 1)]
    assert len({i.shipment_id for i in issued}) == expected
    published = [m.number for _, m in log.seen if isinstance(m, events.InvoiceIssued)]
    assert sorted(published) == numbers
