"""Billing against the real broker and database: one invoice per shipment, numbers without gaps."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest

from billing.adapters.unit_of_work import SqlUnitOfWork
from billing.application.invoicing import invoice_shipment
from billing.application.queries.invoices import list_invoices
from billing.bootstrap import SPEC
from billing.config import Settings
from billing.entrypoints.subscriptions import Reactions, shipment
from messaging.outbox import Outbox
from oms.billing.v1 import billing_pb2 as pb
from oms.billing.v1 import billing_pb2_grpc
from oms.events.v1 import billing_pb2, inventory_pb2, orders_pb2
from oms.types.v1.types_pb2 import Money
from servicekit.db import Database
from testkit.services import EventLog, free_port, namespace, publish, running


@pytest.fixture
async def env(
    fresh_database: Callable[[str], Awaitable[str]], kafka_bootstrap: str
) -> AsyncIterator[tuple[billing_pb2_grpc.BillingServiceStub, str, str]]:
    ns, url = namespace(), await fresh_database("billing")
    settings = Settings(
        database_url=url,
        kafka_bootstrap_servers=kafka_bootstrap,
        grpc_port=free_port(),
        topic_namespace=ns,
    )
    async with running(SPEC, settings) as channel:
        yield billing_pb2_grpc.BillingServiceStub(channel), ns, url


def an_order(lines: int = 1) -> orders_pb2.SalesOrderPlaced:
    return orders_pb2.SalesOrderPlaced(
        order_id=str(uuid.uuid4()),
        customer_id="C-1",
        currency="EUR",
        lines=[
            orders_pb2.SalesOrderLine(
                line_id=f"line-{i}",
                product_id=f"p{i}",
                sku=f"SKU-{i}",
                quantity=100,
                unit_price=Money(amount="12.50", currency="EUR"),
            )
            for i in range(lines)
        ],
    )


def a_shipment(
    order: orders_pb2.SalesOrderPlaced, quantity: int = 3
) -> inventory_pb2.ShipmentDispatched:
    return inventory_pb2.ShipmentDispatched(
        shipment_id=str(uuid.uuid4()),
        order_id=order.order_id,
        lines=[inventory_pb2.ShippedLine(line_id=order.lines[0].line_id, quantity=quantity)],
    )


async def test_a_shipment_is_invoiced_at_the_order_prices(env, kafka_bootstrap: str) -> None:  # type: ignore[no-untyped-def]
    stub, ns, _ = env
    order = an_order()
    shipment = a_shipment(order)
    async with EventLog(kafka_bootstrap, [billing_pb2.InvoiceIssued], ns) as log:
        await publish(kafka_bootstrap, order, key=order.order_id, namespace=ns)
        await publish(kafka_bootstrap, shipment, key=order.order_id, namespace=ns)
        ((envelope, issued),) = await log.wait_for(order.order_id)
    assert issued.total.amount == "37.50"
    assert issued.number.startswith("INV-")
    assert envelope.actor.subject == "test"
    (invoice,) = (await stub.ListInvoices(pb.ListInvoicesRequest(order_id=order.order_id))).invoices
    assert (invoice.shipment_id, invoice.total.amount, invoice.lines[0].quantity) == (
        shipment.shipment_id,
        "37.50",
        3,
    )


async def test_a_shipment_before_its_order_and_its_duplicates_make_one_invoice(
    env, kafka_bootstrap: str
) -> None:  # type: ignore[no-untyped-def]
    stub, ns, _ = env
    order = an_order()
    shipment = a_shipment(order)
    async with EventLog(kafka_bootstrap, [billing_pb2.InvoiceIssued], ns) as log:
        await publish(kafka_bootstrap, shipment, key=order.order_id, namespace=ns)
        await publish(
            kafka_bootstrap, shipment, key=order.order_id, namespace=ns
        )  # same shipment, new ce_id
        await publish(kafka_bootstrap, order, key=order.order_id, namespace=ns)
        await log.wait_for(order.order_id)
        with pytest.raises(AssertionError):
            await log.wait_for(order.order_id, count=2, seconds=3)
    assert (
        len((await stub.ListInvoices(pb.ListInvoicesRequest(order_id=order.order_id))).invoices)
        == 1
    )


async def test_twenty_concurrent_invoices_are_numbered_without_gaps_or_duplicates(env) -> None:  # type: ignore[no-untyped-def]
    _, _, url = env
    database = Database(url)
    outbox = Outbox(SPEC.tables.outbox, "billing")
    order = an_order()
    async with database.transaction() as session:
        on = Reactions(lambda session: SqlUnitOfWork.joining(session, outbox))
        await on.sales_order_placed(session, order, None)  # type: ignore[arg-type]

    async def invoice_one() -> None:
        async with SqlUnitOfWork(database, outbox) as uow:
            await invoice_shipment(uow, shipment(a_shipment(order, quantity=1)))

    await asyncio.gather(*[invoice_one() for _ in range(20)])
    found, _ = await list_invoices(SqlUnitOfWork(database, outbox), order.order_id, 200, "")
    numbers = sorted(i.number for i in found)
    await database.dispose()
    year = numbers[0].split("-")[1]
    assert numbers == [f"INV-{year}-{n:06d}" for n in range(1, 21)]
