"""The billing service against the real broker and database, with helpers to make invoices,
read and nudge its tables, and wait for what its consumers do."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import date
from typing import Any

import grpc
import pytest
from google.protobuf.message import Message
from sqlalchemy import text

from billing.bootstrap import SPEC
from billing.config import Settings
from oms.billing.v1 import billing_pb2 as pb
from oms.billing.v1 import billing_pb2_grpc
from oms.events.v1 import billing_pb2 as events
from oms.events.v1 import inventory_pb2, orders_pb2
from oms.types.v1.types_pb2 import Money
from servicekit.db import Database
from servicekit.grpc import violations_of
from testkit.services import EventLog, as_user, free_port, namespace, publish, running

FINANCE = as_user("fiona", "finance")
ALL_EVENTS = [
    events.InvoiceIssued,
    events.PaymentReceived,
    events.InvoicePaid,
    events.CreditNoteIssued,
    events.CustomerBalanceChanged,
    events.InvoiceOverdue,
    events.BillRecorded,
    events.BillReleased,
    events.BillPaid,
]


def eur(amount: str) -> Money:
    return Money(amount=amount, currency="EUR")


class Billing:
    """One running billing service: its stub, topic namespace and database."""

    def __init__(
        self, stub: billing_pb2_grpc.BillingServiceStub, ns: str, bootstrap: str, url: str
    ):
        self.stub, self.ns, self.bootstrap, self.url = stub, ns, bootstrap, url
        self.database = Database(url, pool_size=2)

    async def send(self, message: Message, key: str) -> None:
        await publish(self.bootstrap, message, key=key, namespace=self.ns)

    def log(self) -> EventLog:
        return EventLog(self.bootstrap, ALL_EVENTS, self.ns)

    async def sql(self, statement: str, **params: Any) -> list[Any]:
        async with self.database.transaction() as session:
            result = await session.execute(text(statement), params)
            return list(result.all()) if result.returns_rows else []

    async def eventually(self, check: Callable[[], Awaitable[bool]], seconds: float = 30) -> None:
        for _ in range(int(seconds * 10)):
            if await check():
                return
            await asyncio.sleep(0.1)
        raise AssertionError("never happened")

    async def invoice(
        self, customer_id: str, quantity: int = 3, price: str = "12.50", channel: str = ""
    ) -> pb.Invoice:
        """A sales order shipped in one go: its invoice (quantity x price)."""
        order = orders_pb2.SalesOrderPlaced(
            order_id=str(uuid.uuid4()),
            customer_id=customer_id,
            currency="EUR",
            channel=channel,
            lines=[
                orders_pb2.SalesOrderLine(
                    line_id=str(uuid.uuid4()),
                    product_id="p1",
                    sku="SKU-1",
                    quantity=100,
                    unit_price=eur(price),
                )
            ],
        )
        shipment = inventory_pb2.ShipmentDispatched(
            shipment_id=str(uuid.uuid4()),
            order_id=order.order_id,
            lines=[inventory_pb2.ShippedLine(line_id=order.lines[0].line_id, quantity=quantity)],
        )
        await self.send(order, key=order.order_id)
        await self.send(shipment, key=order.order_id)

        async def issued() -> bool:
            reply = await self.stub.ListInvoices(pb.ListInvoicesRequest(order_id=order.order_id))
            return len(reply.invoices) == 1

        await self.eventually(issued)
        reply = await self.stub.ListInvoices(pb.ListInvoicesRequest(order_id=order.order_id))
        return reply.invoices[0]

    async def get(self, invoice_id: str) -> pb.Invoice:
        reply = await self.stub.GetInvoice(pb.GetInvoiceRequest(invoice_id=invoice_id))
        return reply.invoice

    async def due(self, invoice_id: str, day: date) -> None:
        await self.sql("UPDATE invoices SET due_date = :day WHERE id = :id", day=day, id=invoice_id)

    async def customer(self, customer_id: str) -> tuple[list[str], list[str]]:
        """The customer's open balances and credits, as amounts."""
        reply = await self.stub.GetCustomerBalance(
            pb.GetCustomerBalanceRequest(customer_id=customer_id)
        )
        return [m.amount for m in reply.balances], [m.amount for m in reply.credits]


async def refused(
    call: Awaitable[Any], code: grpc.StatusCode = grpc.StatusCode.INVALID_ARGUMENT
) -> dict[str, str]:
    """The fields a call was refused on (and why)."""
    with pytest.raises(grpc.aio.AioRpcError) as error:
        await call
    assert error.value.code() == code, error.value.details()
    return {v.field: v.description for v in violations_of(error.value)}


@pytest.fixture
async def service(
    fresh_database: Callable[[str], Awaitable[str]], kafka_bootstrap: str
) -> AsyncIterator[Billing]:
    ns, url = namespace(), await fresh_database("billing")
    settings = Settings(
        database_url=url,
        kafka_bootstrap_servers=kafka_bootstrap,
        grpc_port=free_port(),
        topic_namespace=ns,
        overdue_interval_seconds=0.3,
    )
    async with running(SPEC, settings) as channel:
        env = Billing(billing_pb2_grpc.BillingServiceStub(channel), ns, kafka_bootstrap, url)
        try:
            yield env
        finally:
            await env.database.dispose()
