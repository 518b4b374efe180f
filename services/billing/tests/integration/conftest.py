"""The billing service against the real broker and database, with helpers to make invoices,
read and nudge its tables, and wait for what its consumers do."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from datetime import date
from typing import Any

import grpc
import pytest
from google.protobuf.message import Message
from sqlalchemy import text

from billing.bootstrap import SPEC
from billing.config import Settings
from oms.audit.v1 import audit_pb2, audit_pb2_grpc
from oms.billing.v1 import billing_pb2 as pb
from oms.billing.v1 import billing_pb2_grpc
from oms.events.v1 import billing_pb2 as events
from oms.events.v1 import inventory_pb2, orders_pb2, procurement_pb2
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
    events.ExchangeRateSet,
]


def eur(amount: str) -> Money:
    return Money(amount=amount, currency="EUR")


class Billing:
    """One running billing service: its stub, topic namespace and database."""

    audit_stub: audit_pb2_grpc.AuditServiceStub
    # Where it listens, for channels that present another certificate or token.
    target: str

    def __init__(
        self, stub: billing_pb2_grpc.BillingServiceStub, ns: str, bootstrap: str, url: str
    ):
        self.stub, self.ns, self.bootstrap, self.url = stub, ns, bootstrap, url
        self.database = Database(url, pool_size=2)

    async def changes(self, entity_type: str, entity_id: str = "") -> list[audit_pb2.AuditEntry]:
        """The change log's entries for an entity (or every one of the type), newest first."""
        reply = await self.audit_stub.ListAuditEntries(
            audit_pb2.ListAuditEntriesRequest(entity_type=entity_type, entity_id=entity_id)
        )
        return list(reply.entries)

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


# Payables ---------------------------------------------------------------------------------


def a_purchase_order(
    supplier_id: str = "S-1", terms: str = "net 30", currency: str = "EUR"
) -> procurement_pb2.PurchaseOrderIssued:
    """10 of p1 at 10.00 and 5 of p2 at 4.00, in `currency`."""
    return procurement_pb2.PurchaseOrderIssued(
        purchase_order_id=str(uuid.uuid4()),
        number="PO-2026-000001",
        supplier_id=supplier_id,
        warehouse_id="W-1",
        currency=currency,
        payment_terms=terms,
        lines=[
            procurement_pb2.PurchaseOrderLine(
                line_id="l1",
                product_id="p1",
                sku="SKU-1",
                quantity=10,
                unit_price=Money(amount="10.00", currency=currency),
            ),
            procurement_pb2.PurchaseOrderLine(
                line_id="l2",
                product_id="p2",
                sku="SKU-2",
                quantity=5,
                unit_price=Money(amount="4.00", currency=currency),
            ),
        ],
    )


def a_receipt(purchase_order_id: str, *lines: tuple[str, int]) -> inventory_pb2.GoodsReceived:
    return inventory_pb2.GoodsReceived(
        receipt_id=str(uuid.uuid4()),
        purchase_order_id=purchase_order_id,
        warehouse_id="W-1",
        lines=[inventory_pb2.ReceivedLine(product_id=p, quantity=q) for p, q in lines],
    )


def a_bill(
    order: procurement_pb2.PurchaseOrderIssued,
    reference: str,
    *lines: tuple[str, int, str],
    currency: str = "EUR",
) -> pb.RecordBillRequest:
    return pb.RecordBillRequest(
        purchase_order_id=order.purchase_order_id,
        supplier_id=order.supplier_id,
        supplier_reference=reference,
        currency=currency,
        lines=[pb.BillLineRequest(product_id=p, quantity=q, unit_price=u) for p, q, u in lines],
    )


async def copied(service: Billing, purchase_order_id: str, received: int) -> None:
    """Waits until billing has the order's copy and `received` units received against it."""

    async def ready() -> bool:
        rows = await service.sql(
            "SELECT (SELECT count(*) FROM purchase_order_copies WHERE purchase_order_id = :po), "
            "(SELECT coalesce(sum(quantity), 0) FROM goods_receipt_lines "
            "WHERE purchase_order_id = :po)",
            po=purchase_order_id,
        )
        return bool(rows[0][0] == 1 and rows[0][1] == received)

    await service.eventually(ready)


async def refused(
    call: Awaitable[Any], code: grpc.StatusCode = grpc.StatusCode.INVALID_ARGUMENT
) -> dict[str, str]:
    """The fields a call was refused on (and why)."""
    with pytest.raises(grpc.aio.AioRpcError) as error:
        await call
    assert error.value.code() == code, error.value.details()
    return {v.field: v.description for v in violations_of(error.value)}


Start = Callable[..., AbstractAsyncContextManager[Billing]]


@pytest.fixture
def start_billing(fresh_database: Callable[[str], Awaitable[str]], kafka_bootstrap: str) -> Start:
    """`start_billing(**settings)`: billing on its own database and topic namespace, with
    settings of the test's own; its stub calls as the gateway passing an admin's token unless a
    call passes a person's own (`as_user`)."""

    @contextlib.asynccontextmanager
    async def start(**overrides: Any) -> AsyncIterator[Billing]:
        ns, url = namespace(), await fresh_database("billing")
        settings = Settings(
            database_url=url,
            kafka_bootstrap_servers=kafka_bootstrap,
            grpc_port=free_port(),
            topic_namespace=ns,
            **{"overdue_interval_seconds": 0.3, **overrides},
        )
        async with running(SPEC, settings) as channel:
            env = Billing(billing_pb2_grpc.BillingServiceStub(channel), ns, kafka_bootstrap, url)
            env.audit_stub = audit_pb2_grpc.AuditServiceStub(channel)
            env.target = f"127.0.0.1:{settings.grpc_port}"
            try:
                yield env
            finally:
                await env.database.dispose()

    return start


@pytest.fixture
async def service(start_billing: Start) -> AsyncIterator[Billing]:
    async with start_billing() as env:
        yield env
