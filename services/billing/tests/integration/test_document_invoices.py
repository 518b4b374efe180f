"""Billing of priced documents: a quote invoiced straight away, and an order made from a quote
billed whole, as quoted, once everything has shipped. Figures are verified before use."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest

from billing.bootstrap import SPEC
from billing.config import Settings
from oms.billing.v1 import billing_pb2 as pb
from oms.billing.v1 import billing_pb2_grpc
from oms.events.v1 import billing_pb2, inventory_pb2, orders_pb2, quoting_pb2
from oms.types.v1.types_pb2 import Money
from pricing.wire import verify
from testkit.documents import a_priced_document
from testkit.services import EventLog, dead_letter, free_port, namespace, publish, running

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


def accepted(convert_to: str = "invoice") -> quoting_pb2.QuoteAccepted:
    return quoting_pb2.QuoteAccepted(
        quote_id=str(uuid.uuid4()),
        version=1,
        customer_id="C-9",
        convert_to=convert_to,
        target_id=str(uuid.uuid4()),
        document=a_priced_document(),
    )


async def test_a_quote_accepted_for_invoicing_is_invoiced_with_its_own_figures(
    env: Env, kafka_bootstrap: str
) -> None:
    stub, ns = env
    quote = accepted()
    async with EventLog(kafka_bootstrap, [billing_pb2.InvoiceIssued], ns) as log:
        await publish(kafka_bootstrap, quote, key=quote.quote_id, namespace=ns)
        ((_, issued),) = await log.wait_for(quote.quote_id)
    assert (issued.invoice_id, issued.quote_id, issued.order_id) == (
        quote.target_id,
        quote.quote_id,
        "",
    )
    assert issued.total.amount == quote.document.breakdown.total
    invoice = (await stub.GetInvoice(pb.GetInvoiceRequest(invoice_id=quote.target_id))).invoice
    assert invoice.document == quote.document
    verify(invoice.document)
    nets = [line.net for line in quote.document.breakdown.lines]
    goods = [line for line in invoice.lines if line.order_line_id != "shipping"]
    assert [line.line_total.amount for line in goods] == nets
    # The shipping charges are a line of their own; each tax per code and rate, as the quote's.
    (freight,) = [line for line in invoice.lines if line.order_line_id == "shipping"]
    assert freight.line_total.amount == quote.document.breakdown.shipping
    assert [(t.code, t.amount.amount) for t in invoice.taxes] == [
        (t.code, t.amount) for t in quote.document.breakdown.taxes
    ]


async def test_a_quote_whose_figures_do_not_recompute_is_dead_lettered_not_invoiced(
    env: Env, kafka_bootstrap: str
) -> None:
    stub, ns = env
    quote = accepted()
    quote.document.breakdown.total = "1.00"
    await publish(kafka_bootstrap, quote, key=quote.quote_id, namespace=ns)
    letter = await dead_letter(kafka_bootstrap, quote.quote_id)
    assert "does not price as stated" in letter.headers["dlq_error"]
    assert "total: stored 1.00" in letter.headers["dlq_error"]
    assert list((await stub.ListInvoices(pb.ListInvoicesRequest())).invoices) == []


async def test_an_order_from_a_quote_is_billed_whole_once_its_last_shipment_leaves(
    env: Env, kafka_bootstrap: str
) -> None:
    stub, ns = env
    document = a_priced_document()
    picked = [
        (line.line_id, line.product_id, line.sku, int(line.quantity))
        for line in document.groups[0].lines
    ]
    order = orders_pb2.SalesOrderPlaced(
        order_id=str(uuid.uuid4()),
        customer_id="C-9",
        currency="EUR",
        document=document,
        total=Money(amount=document.breakdown.total, currency="EUR"),
        lines=[
            orders_pb2.SalesOrderLine(
                line_id=i,
                product_id=p,
                sku=s,
                quantity=q,
                unit_price=Money(amount="1", currency="EUR"),
            )
            for i, p, s, q in picked
        ],
    )

    def shipment(lines: list[tuple[str, int]]) -> inventory_pb2.ShipmentDispatched:
        return inventory_pb2.ShipmentDispatched(
            shipment_id=str(uuid.uuid4()),
            order_id=order.order_id,
            lines=[inventory_pb2.ShippedLine(line_id=i, quantity=q) for i, q in lines],
        )

    first = shipment([(picked[0][0], 1)])
    last = shipment([(picked[0][0], picked[0][3] - 1)] + [(i, q) for i, _, _, q in picked[1:]])
    async with EventLog(kafka_bootstrap, [billing_pb2.InvoiceIssued], ns) as log:
        await publish(kafka_bootstrap, order, key=order.order_id, namespace=ns)
        await publish(kafka_bootstrap, first, key=order.order_id, namespace=ns)
        await publish(kafka_bootstrap, first, key=order.order_id, namespace=ns)  # redelivered
        await publish(kafka_bootstrap, last, key=order.order_id, namespace=ns)
        ((_, issued),) = await log.wait_for(order.order_id)
    assert (issued.shipment_id, issued.covers_order) == (last.shipment_id, True)
    assert issued.total.amount == document.breakdown.total
    (invoice,) = (await stub.ListInvoices(pb.ListInvoicesRequest(order_id=order.order_id))).invoices
    assert invoice.document == document
