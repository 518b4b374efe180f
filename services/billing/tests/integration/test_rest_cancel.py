"""The rest of an order made from a quote cancelled, through Kafka and PostgreSQL: its last
shipment counted first, then its lines cut to what shipped (SalesOrderLinesChanged with the
repriced document) -- billing issues the one whole invoice of the repriced document, once."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import replace

import pytest

from billing.bootstrap import SPEC
from billing.config import Settings
from oms.billing.v1 import billing_pb2 as pb
from oms.billing.v1 import billing_pb2_grpc
from oms.events.v1 import billing_pb2, inventory_pb2, orders_pb2
from oms.types.v1 import pricing_pb2
from oms.types.v1.types_pb2 import Money
from pricing.document import price_document
from pricing.wire import document_from_proto, document_to_proto
from testkit.documents import a_priced_document
from testkit.services import EventLog, free_port, namespace, publish, running

Env = tuple[billing_pb2_grpc.BillingServiceStub, str]


@pytest.fixture
async def env(
    fresh_database: Callable[[str], Awaitable[str]], kafka_bootstrap: str
) -> AsyncIterator[Env]:
    ns, url = namespace(), await fresh_database("billing")
    settings = Settings(
        database_url=url,
        kafka_bootstrap_servers=kafka_bootstrap,
        grpc_port=free_port(),
        topic_namespace=ns,
    )
    async with running(SPEC, settings) as channel:
        yield billing_pb2_grpc.BillingServiceStub(channel), ns


def cut(document: pricing_pb2.PricedDocument, kept: dict[str, int]) -> pricing_pb2.PricedDocument:
    """The document with some lines (by line id) at fewer units (0: gone), priced again."""
    plain = document_from_proto(document)
    groups = tuple(
        replace(
            group,
            lines=tuple(
                replace(line, quantity=str(kept.get(line.line_id, line.units)))
                for line in group.lines
                if kept.get(line.line_id) != 0
            ),
        )
        for group in plain.groups
    )
    return document_to_proto(price_document(replace(plain, groups=groups, breakdown=None)))


async def test_an_order_from_a_quote_cut_to_what_shipped_is_invoiced_whole_once(
    env: Env, kafka_bootstrap: str
) -> None:
    stub, ns = env
    document = a_priced_document()
    widgets, bolts, kit = document.groups[0].lines  # the kit is a line here, as billing keeps it

    def line(x: pricing_pb2.DocumentLine, units: int) -> orders_pb2.SalesOrderLine:
        return orders_pb2.SalesOrderLine(
            line_id=x.line_id,
            product_id=x.product_id,
            sku=x.sku,
            quantity=units,
            unit_price=Money(amount=x.unit_price, currency="EUR"),
        )

    order = orders_pb2.SalesOrderPlaced(
        order_id=str(uuid.uuid4()),
        customer_id="C-9",
        currency="EUR",
        quote_id=str(uuid.uuid4()),
        document=document,
        total=Money(amount=document.breakdown.total, currency="EUR"),
        lines=[line(x, int(x.quantity)) for x in (widgets, bolts, kit)],
    )
    shipment = inventory_pb2.ShipmentDispatched(
        shipment_id=str(uuid.uuid4()),
        order_id=order.order_id,
        lines=[inventory_pb2.ShippedLine(line_id=widgets.line_id, quantity=2)],
    )
    repriced = cut(document, {widgets.line_id: 2, bolts.line_id: 0, kit.line_id: 0})
    changed = orders_pb2.SalesOrderLinesChanged(
        order_id=order.order_id, lines=[line(widgets, 2)], document=repriced
    )
    async with EventLog(kafka_bootstrap, [billing_pb2.InvoiceIssued], ns) as log:
        await publish(kafka_bootstrap, order, key=order.order_id, namespace=ns)
        await publish(kafka_bootstrap, shipment, key=order.order_id, namespace=ns)
        await publish(kafka_bootstrap, changed, key=order.order_id, namespace=ns)
        await publish(kafka_bootstrap, changed, key=order.order_id, namespace=ns)  # redelivered
        ((_, issued),) = await log.wait_for(order.order_id)
    assert (issued.covers_order, issued.total.amount) == (True, repriced.breakdown.total)
    assert repriced.breakdown.total != document.breakdown.total
    (invoice,) = (await stub.ListInvoices(pb.ListInvoicesRequest(order_id=order.order_id))).invoices
    assert invoice.document == repriced
    goods = [(x.sku, x.quantity) for x in invoice.lines if x.order_line_id != "shipping"]
    assert goods == [("W-1", 2), ("SVC-1", 2)]
