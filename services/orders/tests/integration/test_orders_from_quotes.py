"""An accepted quote becomes a sales order with the quote's own document, proven first, and goes
through credit control as any order: approved (and announced so) for a registered customer in
credit, held at approval for a customer the master does not know."""

from __future__ import annotations

import uuid

from oms.events.v1 import orders_pb2, quoting_pb2
from oms.orders.v1 import orders_pb2 as pb
from pricing.wire import verify
from services.orders.tests.integration.conftest import Env
from testkit.documents import a_priced_document
from testkit.services import EventLog, dead_letter, publish


def accepted() -> quoting_pb2.QuoteAccepted:
    return quoting_pb2.QuoteAccepted(
        quote_id=str(uuid.uuid4()),
        version=2,
        customer_id="C-7",
        convert_to="sales_order",
        target_id=str(uuid.uuid4()),
        document=a_priced_document(),
    )


async def test_the_order_has_the_quote_figures_and_picks_a_kit_by_its_parts(
    env: Env, kafka_bootstrap: str
) -> None:
    stub, ns, _ = env
    quote = accepted()
    async with EventLog(kafka_bootstrap, [orders_pb2.SalesOrderPlaced], ns) as log:
        await publish(kafka_bootstrap, quote, key=quote.quote_id, namespace=ns)
        await publish(kafka_bootstrap, quote, key=quote.quote_id, namespace=ns)  # redelivered
        ((_, placed),) = await log.wait_for(quote.target_id)
    assert (placed.order_id, placed.quote_id, placed.customer_id) == (
        quote.target_id,
        quote.quote_id,
        "C-7",
    )
    assert placed.document == quote.document
    assert placed.total.amount == quote.document.breakdown.total
    # W-1 x3 and B-1 x10 as they are; the kit K-1 x2 as 2 x W-1 and 8 x B-1; the service not at all
    assert [(x.sku, x.quantity) for x in placed.lines] == [
        ("W-1", 3),
        ("B-1", 10),
        ("W-1", 2),
        ("B-1", 8),
    ]
    order = (await stub.GetSalesOrder(pb.GetSalesOrderRequest(order_id=quote.target_id))).order
    assert (order.quote_id, order.channel, order.total.amount) == (
        quote.quote_id,
        "quote",
        quote.document.breakdown.total,
    )
    # C-7 is no customer of the master: credit cannot be checked, so the order waits
    assert (order.status, order.credit_hold) == (
        "approval",
        "customer C-7 is not registered: credit is unknown",
    )
    verify(order.document)
    listed = await stub.ListSalesOrders(pb.ListSalesOrdersRequest(customer_id="C-7"))
    assert [o.id for o in listed.orders] == [quote.target_id]


async def test_a_quote_that_does_not_recompute_is_dead_lettered_and_no_order_is_made(
    env: Env, kafka_bootstrap: str
) -> None:
    stub, ns, _ = env
    quote = accepted()
    quote.document.breakdown.lines[0].net = "0.01"
    await publish(kafka_bootstrap, quote, key=quote.quote_id, namespace=ns)
    letter = await dead_letter(kafka_bootstrap, quote.quote_id)
    assert "lines[0].net: stored 0.01" in letter.headers["dlq_error"]
    listed = await stub.ListSalesOrders(pb.ListSalesOrdersRequest(customer_id="C-7"))
    assert list(listed.orders) == []


async def test_a_quote_accepted_for_invoicing_makes_no_order(
    env: Env, kafka_bootstrap: str
) -> None:
    stub, ns, _ = env
    to_invoice, to_order = accepted(), accepted()
    to_invoice.convert_to = "invoice"
    to_invoice.customer_id = to_order.customer_id = f"C-{uuid.uuid4().hex[:6]}"
    async with EventLog(kafka_bootstrap, [orders_pb2.SalesOrderPlaced], ns) as log:
        await publish(kafka_bootstrap, to_invoice, key=to_invoice.quote_id, namespace=ns)
        await publish(kafka_bootstrap, to_order, key=to_order.quote_id, namespace=ns)
        await log.wait_for(to_order.target_id)
    listed = await stub.ListSalesOrders(pb.ListSalesOrdersRequest(customer_id=to_order.customer_id))
    assert [o.id for o in listed.orders] == [to_order.target_id]


async def test_a_quote_for_a_registered_customer_in_credit_is_approved_and_announced(
    env: Env, kafka_bootstrap: str, customer: str
) -> None:
    stub, ns, _ = env
    quote = accepted()
    quote.customer_id = customer
    async with EventLog(kafka_bootstrap, [orders_pb2.SalesOrderApproved], ns) as log:
        await publish(kafka_bootstrap, quote, key=quote.quote_id, namespace=ns)
        found = await log.wait_for(quote.target_id, count=4)
    assert [type(event).__name__ for _, event in found] == [
        "SalesOrderPlaced",
        "SalesOrderStatusChanged",
        "SalesOrderStatusChanged",
        "SalesOrderApproved",
    ]
    order = (await stub.GetSalesOrder(pb.GetSalesOrderRequest(order_id=quote.target_id))).order
    assert (order.status, order.credit_hold) == ("execution", "")
