"""Payments, credit notes and customer balances against the real broker and database."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

import grpc
import pytest
from google.protobuf.message import Message

from billing.bootstrap import SPEC
from billing.config import Settings
from billing.domain.returns import unit_net
from oms.billing.v1 import billing_pb2 as pb
from oms.billing.v1 import billing_pb2_grpc
from oms.events.v1 import billing_pb2 as events
from oms.events.v1 import inventory_pb2, orders_pb2
from oms.types.v1.types_pb2 import Money
from pricing.document import kit_part_line_id
from pricing.money import Money as Amount
from pricing.money import parse_amount
from servicekit.grpc import violations_of
from testkit.documents import a_priced_document
from testkit.services import EventLog, as_user, dead_letter, free_port, namespace, publish, running

Stub = billing_pb2_grpc.BillingServiceStub
FINANCE = as_user("fiona", "finance")
SETTLEMENT = [
    events.InvoiceIssued,
    events.PaymentReceived,
    events.InvoicePaid,
    events.CreditNoteIssued,
    events.CustomerBalanceChanged,
]


class Env:
    def __init__(self, stub: Stub, ns: str, bootstrap: str) -> None:
        self.stub, self.ns, self.bootstrap = stub, ns, bootstrap

    async def send(self, message: Message, key: str) -> None:
        await publish(self.bootstrap, message, key=key, namespace=self.ns)

    async def invoices(self, order_id: str) -> list[pb.Invoice]:
        reply = await self.stub.ListInvoices(pb.ListInvoicesRequest(order_id=order_id))
        return list(reply.invoices)

    async def eventually(self, check: Callable[[], Awaitable[bool]], seconds: float = 30) -> None:
        for _ in range(int(seconds * 10)):
            if await check():
                return
            await asyncio.sleep(0.1)
        raise AssertionError("never happened")


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
        yield Env(billing_pb2_grpc.BillingServiceStub(channel), ns, kafka_bootstrap)


def eur(amount: str) -> Money:
    return Money(amount=amount, currency="EUR")


def an_order(customer_id: str = "C-1", price: str = "12.50") -> orders_pb2.SalesOrderPlaced:
    return orders_pb2.SalesOrderPlaced(
        order_id=str(uuid.uuid4()),
        customer_id=customer_id,
        currency="EUR",
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


def a_shipment(
    order: orders_pb2.SalesOrderPlaced, quantity: int
) -> inventory_pb2.ShipmentDispatched:
    return inventory_pb2.ShipmentDispatched(
        shipment_id=str(uuid.uuid4()),
        order_id=order.order_id,
        lines=[inventory_pb2.ShippedLine(line_id=order.lines[0].line_id, quantity=quantity)],
    )


def a_return(order_id: str, *lines: tuple[str, int]) -> inventory_pb2.ReturnReceived:
    return inventory_pb2.ReturnReceived(
        return_id=str(uuid.uuid4()),
        order_id=order_id,
        lines=[inventory_pb2.ShippedLine(line_id=i, quantity=q) for i, q in lines],
    )


async def pay(env: Env, invoice_id: str, amount: Money, reference: str = "") -> pb.Payment:
    reply = await env.stub.RecordPayment(
        pb.RecordPaymentRequest(
            invoice_id=invoice_id, amount=amount, reference=reference, received_on="2026-03-02"
        ),
        metadata=FINANCE,
    )
    return reply.payment


async def refused(env: Env, invoice_id: str, amount: Money) -> dict[str, str]:
    with pytest.raises(grpc.aio.AioRpcError) as error:
        await pay(env, invoice_id, amount)
    assert error.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    return {v.field: v.description for v in violations_of(error.value)}


def balances(log: EventLog, customer_id: str) -> list[str]:
    return [
        m.open_balance.amount
        for _, m in log.seen
        if isinstance(m, events.CustomerBalanceChanged) and m.customer_id == customer_id
    ]


async def test_payments_take_an_invoice_to_paid_with_its_events_and_the_customers_balance(
    env: Env,
) -> None:
    customer = orders_pb2.CustomerAccount(
        customer_id="C-1", name="Acme", payment_terms="14 days net"
    )
    order = an_order()
    async with EventLog(env.bootstrap, SETTLEMENT, env.ns) as log:
        await env.send(orders_pb2.CustomerRegistered(customer=customer), key="C-1")
        await asyncio.sleep(1)  # another topic: let the customer's terms arrive first
        await env.send(order, key=order.order_id)
        await env.send(a_shipment(order, 3), key=order.order_id)
        await log.wait_for(order.order_id)
        (invoice,) = await env.invoices(order.order_id)
        issued_on = invoice.issued_at.ToDatetime(tzinfo=UTC).date()
        assert invoice.due_date == (issued_on + timedelta(days=14)).isoformat()
        assert (invoice.status, invoice.balance.amount) == ("open", "37.50")

        assert await refused(env, invoice.id, Money(amount="10", currency="USD")) == {
            "amount.currency": "must be the invoice's currency, EUR"
        }
        first = await pay(env, invoice.id, eur("10"), reference="transfer 1")
        assert (first.amount.amount, first.recorded_by, first.invoice_number) == (
            "10.00",
            "fiona",
            invoice.number,
        )
        assert await refused(env, invoice.id, eur("27.51")) == {
            "amount": "exceeds the invoice's balance of 27.50 EUR"
        }
        (invoice,) = await env.invoices(order.order_id)
        assert (invoice.status, invoice.amount_paid.amount, invoice.balance.amount) == (
            "partially_paid",
            "10.00",
            "27.50",
        )
        await pay(env, invoice.id, eur("27.50"), reference="transfer 2")
        found = await log.wait_for(order.order_id, count=4)
        assert [type(m).__name__ for _, m in found] == [
            "InvoiceIssued",
            "PaymentReceived",
            "PaymentReceived",
            "InvoicePaid",
        ]
        assert [m.invoice_balance.amount for _, m in found[1:3]] == ["27.50", "0.00"]
        await log.wait_for("C-1", count=3)
    assert balances(log, "C-1") == ["37.50", "27.50", "0.00"]
    (invoice,) = await env.invoices(order.order_id)
    assert (invoice.status, invoice.balance.amount) == ("paid", "0.00")
    assert await refused(env, invoice.id, eur("0.01")) == {
        "amount": "exceeds the invoice's balance of 0.00 EUR"
    }
    listed = await env.stub.ListPayments(pb.ListPaymentsRequest(invoice_id=invoice.id))
    assert [(p.amount.amount, p.reference) for p in listed.payments] == [
        ("27.50", "transfer 2"),
        ("10.00", "transfer 1"),
    ]  # newest first
    by_customer = await env.stub.ListPayments(pb.ListPaymentsRequest(customer_id="C-1"))
    assert len(by_customer.payments) == 2
    balance = await env.stub.GetCustomerBalance(pb.GetCustomerBalanceRequest(customer_id="C-1"))
    assert [(m.amount, m.currency) for m in balance.balances] == [("0.00", "EUR")]


async def test_a_payment_for_no_such_invoice_or_with_bad_fields_is_refused_by_field(
    env: Env,
) -> None:
    assert await refused(env, "nope", eur("1")) == {"invoice_id": "no invoice nope"}
    with pytest.raises(grpc.aio.AioRpcError) as error:
        await env.stub.RecordPayment(
            pb.RecordPaymentRequest(
                invoice_id="nope",
                amount=Money(amount="1e3", currency="XXX"),
                received_on=(datetime.now(UTC).date() + timedelta(days=5)).isoformat(),
            ),
            metadata=FINANCE,
        )
    assert {v.field for v in violations_of(error.value)} == {
        "amount",
        "amount.currency",
        "received_on",
    }


async def test_twenty_concurrent_payments_never_pay_an_invoice_more_than_its_total(
    env: Env,
) -> None:
    order = an_order(price="10.00")
    async with EventLog(env.bootstrap, SETTLEMENT, env.ns) as log:
        await env.send(order, key=order.order_id)
        await env.send(a_shipment(order, 1), key=order.order_id)
        await log.wait_for(order.order_id)
    (invoice,) = await env.invoices(order.order_id)
    results = await asyncio.gather(
        *[pay(env, invoice.id, eur("1.00")) for _ in range(20)], return_exceptions=True
    )
    assert sum(isinstance(r, pb.Payment) for r in results) == 10
    (invoice,) = await env.invoices(order.order_id)
    assert (invoice.status, invoice.amount_paid.amount) == ("paid", "10.00")
    balance = await env.stub.GetCustomerBalance(pb.GetCustomerBalanceRequest(customer_id="C-1"))
    assert [m.amount for m in balance.balances] == ["0.00"]


async def test_a_cancelled_order_credits_each_of_its_invoices_once_even_those_issued_later(
    env: Env,
) -> None:
    order = an_order(customer_id="C-2")
    cancelled = orders_pb2.SalesOrderCancelled(order_id=order.order_id, reason="customer asked")
    async with EventLog(env.bootstrap, SETTLEMENT, env.ns) as log:
        await env.send(order, key=order.order_id)
        await env.send(a_shipment(order, 3), key=order.order_id)
        await env.send(a_shipment(order, 2), key=order.order_id)
        await log.wait_for(order.order_id, count=2)
        second, first = await env.invoices(order.order_id)  # newest first
        await pay(env, first.id, eur("10.00"))
        await env.send(cancelled, key=order.order_id)
        await env.send(cancelled, key=order.order_id)  # the same, with a new event id
        found = await log.wait_for(order.order_id, count=5)
        notes = [m for _, m in found if isinstance(m, events.CreditNoteIssued)]
        assert [(n.invoice_id, n.total.amount, n.reason) for n in notes] == [
            (first.id, "37.50", "cancelled"),
            (second.id, "25.00", "cancelled"),
        ]
        year = datetime.now(UTC).year
        assert [n.number for n in notes] == [f"CN-{year}-000001", f"CN-{year}-000002"]
        # A shipment that overtook the cancellation on its way: invoiced, and credited at once.
        await env.send(a_shipment(order, 1), key=order.order_id)
        found = await log.wait_for(order.order_id, count=7)
        assert [type(m).__name__ for _, m in found[5:]] == ["InvoiceIssued", "CreditNoteIssued"]
        with pytest.raises(AssertionError):
            await log.wait_for(order.order_id, count=8, seconds=3)
    invoices = await env.invoices(order.order_id)
    assert [(i.status, i.balance.amount) for i in invoices] == [("credited", "0.00")] * 3
    listed = await env.stub.ListCreditNotes(pb.ListCreditNotesRequest(order_id=order.order_id))
    assert [(n.total.amount, n.unapplied.amount) for n in listed.credit_notes] == [
        ("12.50", "0.00"),
        ("25.00", "0.00"),
        ("37.50", "10.00"),
    ]  # newest first
    assert [line.quantity for line in listed.credit_notes[-1].lines] == [3]
    assert balances(log, "C-2")[-1] == "0.00"
    by_customer = await env.stub.ListCreditNotes(pb.ListCreditNotesRequest(customer_id="C-2"))
    assert len(by_customer.credit_notes) == 3
    note = listed.credit_notes[0]
    got = await env.stub.GetCreditNote(pb.GetCreditNoteRequest(credit_note_id=note.id))
    assert got.credit_note == note


async def test_returned_units_are_credited_once_at_the_order_price(env: Env) -> None:
    order = an_order(customer_id="C-3")
    line_id = order.lines[0].line_id
    returned = a_return(order.order_id, (line_id, 2))
    async with EventLog(env.bootstrap, SETTLEMENT, env.ns) as log:
        await env.send(order, key=order.order_id)
        await env.send(a_shipment(order, 3), key=order.order_id)
        await env.send(returned, key=order.order_id)
        await env.send(returned, key=order.order_id)  # redelivered with a new event id
        found = await log.wait_for(order.order_id, count=2)
        with pytest.raises(AssertionError):
            await log.wait_for(order.order_id, count=3, seconds=3)
        await log.wait_for("C-3", count=2)
    _, note = found[1]
    assert isinstance(note, events.CreditNoteIssued)
    assert (note.total.amount, note.reason, note.return_id) == (
        "25.00",
        "returned",
        returned.return_id,
    )
    (invoice,) = await env.invoices(order.order_id)
    assert (invoice.status, invoice.amount_credited.amount, invoice.balance.amount) == (
        "open",
        "25.00",
        "12.50",
    )
    assert balances(log, "C-3") == ["37.50", "12.50"]
    (credit,) = (
        await env.stub.ListCreditNotes(pb.ListCreditNotesRequest(order_id=order.order_id))
    ).credit_notes
    assert [
        (x.order_line_id, x.quantity, x.unit_price.amount, x.line_total.amount)
        for x in credit.lines
    ] == [(line_id, 2, "12.50", "25.00")]


async def test_a_return_that_overtakes_its_invoice_waits_for_it(env: Env) -> None:
    order = an_order(customer_id="C-4")
    returned = a_return(order.order_id, (order.lines[0].line_id, 1))
    async with EventLog(env.bootstrap, SETTLEMENT, env.ns) as log:
        # The shipment and the return arrive before the order they belong to.
        await env.send(a_shipment(order, 3), key=order.order_id)
        await env.send(returned, key=order.order_id)
        await asyncio.sleep(1)
        await env.send(order, key=order.order_id)
        found = await log.wait_for(order.order_id, count=2)
    assert [type(m).__name__ for _, m in found] == ["InvoiceIssued", "CreditNoteIssued"]
    assert found[1][1].total.amount == "12.50"  # type: ignore[attr-defined]


async def test_a_paid_invoice_credited_for_a_return_owes_the_customer_the_credit(env: Env) -> None:
    order = an_order(customer_id="C-5")
    async with EventLog(env.bootstrap, SETTLEMENT, env.ns) as log:
        await env.send(order, key=order.order_id)
        await env.send(a_shipment(order, 2), key=order.order_id)
        await log.wait_for(order.order_id)
        (invoice,) = await env.invoices(order.order_id)
        await pay(env, invoice.id, eur("25.00"))
        await env.send(a_return(order.order_id, (order.lines[0].line_id, 1)), key=order.order_id)
        await log.wait_for(order.order_id, count=4)
    (credit,) = (
        await env.stub.ListCreditNotes(pb.ListCreditNotesRequest(order_id=order.order_id))
    ).credit_notes
    assert (credit.total.amount, credit.unapplied.amount) == ("12.50", "12.50")
    (invoice,) = await env.invoices(order.order_id)
    assert (invoice.status, invoice.balance.amount) == ("paid", "0.00")


async def test_a_return_of_a_line_not_on_the_order_is_dead_lettered(env: Env) -> None:
    order = an_order(customer_id="C-6")
    returned = a_return(order.order_id, ("not-a-line", 1))
    async with EventLog(env.bootstrap, SETTLEMENT, env.ns) as log:
        await env.send(order, key=order.order_id)
        await env.send(a_shipment(order, 1), key=order.order_id)
        await log.wait_for(order.order_id)
    await env.send(returned, key=returned.return_id)
    letter = await dead_letter(env.bootstrap, returned.return_id)
    assert "not on the order" in letter.headers["dlq_error"]


async def test_a_document_order_credits_returns_at_the_lines_net_per_unit_and_kits_whole(
    env: Env,
) -> None:
    document = a_priced_document()
    lines = [line for group in document.groups for line in group.lines]
    widget, bolts, kit, _service = lines
    picked = [(widget.line_id, widget, int(widget.quantity))]
    picked += [(bolts.line_id, bolts, int(bolts.quantity))]
    parts = [
        (kit_part_line_id(kit.line_id, p.product_id), p, int(kit.quantity) * p.quantity)
        for p in kit.kit_parts
    ]
    order = orders_pb2.SalesOrderPlaced(
        order_id=str(uuid.uuid4()),
        customer_id="C-7",
        currency="EUR",
        document=document,
        total=eur(document.breakdown.total),
        lines=[
            orders_pb2.SalesOrderLine(
                line_id=i, product_id=x.product_id, sku=x.sku, quantity=q, unit_price=eur("0")
            )
            for i, x, q in picked + parts
        ],
    )
    shipment = inventory_pb2.ShipmentDispatched(
        shipment_id=str(uuid.uuid4()),
        order_id=order.order_id,
        lines=[inventory_pb2.ShippedLine(line_id=i, quantity=q) for i, _, q in picked + parts],
    )
    wheel, bolt = parts
    nets = {f.line_id: Amount(parse_amount(f.net), "EUR") for f in document.breakdown.lines}
    async with EventLog(env.bootstrap, SETTLEMENT, env.ns) as log:
        await env.send(order, key=order.order_id)
        await env.send(shipment, key=order.order_id)
        await log.wait_for(order.order_id)
        # One widget, and one kit's parts and a bolt more of it: one whole kit.
        await env.send(
            a_return(order.order_id, (widget.line_id, 1), (wheel[0], 1), (bolt[0], 5)),
            key=order.order_id,
        )
        ((_, note),) = (await log.wait_for(order.order_id, count=2))[1:]
        # The second kit's parts: three bolts come back with the rest of it.
        await env.send(a_return(order.order_id, (wheel[0], 1), (bolt[0], 3)), key=order.order_id)
        ((_, last),) = (await log.wait_for(order.order_id, count=3))[2:]
    (invoice,) = await env.invoices(order.order_id)
    on_invoice = {x.order_line_id: x for x in invoice.lines}
    # What the customer paid for the units back: their share of the line's net and of its taxes.
    one_widget = paid_for(on_invoice[widget.line_id], 1)
    one_kit = paid_for(on_invoice[kit.line_id], 1)
    assert one_widget > unit_net(nets[widget.line_id], int(widget.quantity)).amount  # tax too
    assert isinstance(note, events.CreditNoteIssued)
    assert Decimal(note.total.amount) == one_widget + one_kit
    credits = (
        await env.stub.ListCreditNotes(pb.ListCreditNotesRequest(order_id=order.order_id))
    ).credit_notes
    assert [(x.order_line_id, x.quantity) for x in credits[-1].lines] == [  # the first one
        (widget.line_id, 1),
        (kit.line_id, 1),
    ]
    # Each credit line mirrors its invoice line's taxes.
    assert [t.code for t in credits[-1].lines[0].taxes] == [
        t.code for t in on_invoice[widget.line_id].taxes
    ]
    # The last kit back takes exactly what is left of the kit line, tax included.
    assert isinstance(last, events.CreditNoteIssued)
    kit_gross = Decimal(on_invoice[kit.line_id].gross.amount)
    assert Decimal(last.total.amount) == kit_gross - one_kit
    (invoice,) = await env.invoices(order.order_id)
    credited = Decimal(note.total.amount) + Decimal(last.total.amount)
    assert Decimal(invoice.balance.amount) == Decimal(document.breakdown.total) - credited


def paid_for(line: pb.InvoiceLine, units: int) -> Decimal:
    """`units` of an invoice line's `quantity` as credited: its net's and each tax's share,
    each rounded half up."""

    def share(amount: str) -> Decimal:
        exact = Decimal(amount) * units / line.quantity
        return exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    return share(line.line_total.amount) + sum(
        (share(t.amount.amount) for t in line.taxes), Decimal(0)
    )
