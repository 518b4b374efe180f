"""The entrypoints on the fakes: gRPC requests mapped to the use cases and their results back as
callers see them, and consumed events mapped to the reactions -- those that can never be applied
dead-lettered (PoisonEvent)."""

from __future__ import annotations

from typing import Any

import pytest

from billing.application.commands.record_bill import BillPolicy
from billing.domain.payables import DualControl, Tolerance
from billing.entrypoints import requests
from billing.entrypoints.grpc_server import BillingServicer
from billing.entrypoints.subscriptions import Reactions
from messaging.consumer import PoisonEvent
from oms.billing.v1 import billing_pb2 as pb
from oms.events.v1 import inventory_pb2, orders_pb2, procurement_pb2, quoting_pb2
from oms.types.v1.types_pb2 import Money
from services.billing.tests.unit.builders import an_id, as_user, eur
from services.billing.tests.unit.fakes import FakeBilling, FakePrinter
from testkit.documents import a_priced_document

POLICY = BillPolicy(Tolerance(), DualControl(eur("10000")))


def money(amount: str, currency: str = "EUR") -> Money:
    return Money(amount=amount, currency=currency)


async def consumed(billing: FakeBilling, handler: str, message: Any) -> None:
    """The event applied as the consumer applies it: in one unit of work."""
    async with billing() as uow:
        on = Reactions(lambda session: uow)
        await getattr(on, handler)(None, message, None)


def an_order(customer_id: str = "C-1") -> orders_pb2.SalesOrderPlaced:
    return orders_pb2.SalesOrderPlaced(
        order_id=an_id(),
        customer_id=customer_id,
        currency="EUR",
        channel="shop",
        lines=[
            orders_pb2.SalesOrderLine(
                line_id=an_id(),
                product_id="p1",
                sku="SKU-1",
                quantity=100,
                unit_price=money("12.5"),
            )
        ],
    )


def a_shipment(
    order: orders_pb2.SalesOrderPlaced, quantity: int = 3, line_id: str = ""
) -> inventory_pb2.ShipmentDispatched:
    return inventory_pb2.ShipmentDispatched(
        shipment_id=an_id(),
        order_id=order.order_id,
        lines=[
            inventory_pb2.ShippedLine(line_id=line_id or order.lines[0].line_id, quantity=quantity)
        ],
    )


async def an_invoice(billing: FakeBilling, customer_id: str = "C-1") -> pb.Invoice:
    order = an_order(customer_id)
    await consumed(billing, "sales_order_placed", order)
    await consumed(billing, "shipment_dispatched", a_shipment(order))
    servicer = BillingServicer(billing, FakePrinter(), POLICY)
    request = pb.ListInvoicesRequest(order_id=order.order_id)
    (invoice,) = (await servicer.ListInvoices(request, None)).invoices  # type: ignore[arg-type]
    return invoice


async def test_invoices_and_balances_read_as_callers_see_them() -> None:
    billing = FakeBilling()
    invoice = await an_invoice(billing)
    servicer = BillingServicer(billing, FakePrinter(), POLICY)
    assert (invoice.total.amount, invoice.balance.amount, invoice.status) == (
        "37.50",
        "37.50",
        "open",
    )
    assert (invoice.lines[0].unit_price.amount, invoice.lines[0].line_total.amount) == (
        "12.50",
        "37.50",
    )
    balance = await servicer.GetCustomerBalance(
        pb.GetCustomerBalanceRequest(customer_id="C-1"), None
    )  # type: ignore[arg-type]
    assert [(m.amount, m.currency) for m in balance.balances] == [("37.50", "EUR")]
    pdf = await servicer.RenderInvoice(pb.RenderInvoiceRequest(invoice_id=invoice.id), None)  # type: ignore[arg-type]
    assert pdf.filename == f"invoice-{invoice.number}.pdf"


async def test_the_one_payment_rpc_pays_an_invoice_alone_as_record_payment_did() -> None:
    billing = FakeBilling()
    invoice = await an_invoice(billing, "C-9")
    servicer = BillingServicer(billing, FakePrinter(), POLICY)
    one = pb.RecordCustomerPaymentRequest(
        invoice_id=invoice.id,
        amount=money("20.00"),
        reference="transfer 7",
        received_on="2026-03-02",
        request_id="pay-1",
    )
    old = pb.RecordPaymentRequest(
        invoice_id=invoice.id,
        amount=money("20.00"),
        reference="transfer 7",
        received_on="2026-03-02",
        request_id="pay-1",
    )
    # The same fingerprint: retries and references recorded through RecordPayment still match.
    assert requests.record_customer_payment(one).retry == requests.record_payment(old).retry
    with as_user():
        paid = (await servicer.RecordCustomerPayment(one, None)).payment  # type: ignore[arg-type]
        again = (await servicer.RecordPayment(old, None)).payment  # type: ignore[arg-type]
    assert (paid.customer_id, paid.invoice_id, paid.amount.amount, paid.allocated.amount) == (
        "C-9",
        invoice.id,
        "20.00",
        "20.00",
    )
    assert (again.id, again.unapplied.amount) == (paid.id, "0.00")


async def test_the_one_payment_rpc_with_the_customer_fingerprints_one_allocation() -> None:
    with_customer = pb.RecordCustomerPaymentRequest(
        customer_id="C-1", invoice_id="i-1", amount=money("5.00"), request_id="r"
    )
    as_allocation = pb.RecordCustomerPaymentRequest(
        customer_id="C-1",
        amount=money("5.00"),
        allocations=[pb.AllocationRequest(invoice_id="i-1", amount=money("5.00"))],
        request_id="r",
    )
    command = requests.record_customer_payment(with_customer)
    assert command.retry == requests.record_customer_payment(as_allocation).retry
    assert (command.invoice_id, command.customer_id) == ("i-1", "C-1")


async def test_a_shipment_or_return_that_does_not_match_its_order_is_dead_lettered() -> None:
    billing = FakeBilling()
    order = an_order()
    await consumed(billing, "sales_order_placed", order)
    with pytest.raises(PoisonEvent, match="not on the order"):
        await consumed(billing, "shipment_dispatched", a_shipment(order, 1, "not-a-line"))
    await consumed(billing, "shipment_dispatched", a_shipment(order))
    back = inventory_pb2.ReturnReceived(
        return_id=an_id(),
        order_id=order.order_id,
        lines=[inventory_pb2.ShippedLine(line_id="not-a-line", quantity=1)],
    )
    with pytest.raises(PoisonEvent, match=f"return {back.return_id}: returned line"):
        await consumed(billing, "return_received", back)
    assert billing.state.returns == {}  # rolled back with the event


async def test_a_priced_document_that_does_not_price_as_stated_is_dead_lettered() -> None:
    billing = FakeBilling()
    document = a_priced_document()
    document.breakdown.total = "1.00"
    as_order = quoting_pb2.QuoteAccepted(
        quote_id=an_id(),
        customer_id="C-1",
        target_id=an_id(),
        convert_to="order",
        document=document,
    )
    await consumed(billing, "quote_accepted", as_order)  # an order's business, not billing's
    as_invoice = quoting_pb2.QuoteAccepted()
    as_invoice.CopyFrom(as_order)
    as_invoice.convert_to = "invoice"
    with pytest.raises(PoisonEvent, match="does not price as stated"):
        await consumed(billing, "quote_accepted", as_invoice)
    order = an_order()
    order.document.CopyFrom(document)
    with pytest.raises(PoisonEvent, match=f"order {order.order_id} does not price"):
        await consumed(billing, "sales_order_placed", order)
    assert billing.state.invoices == {}
    assert billing.state.orders == {}


async def test_customers_purchase_orders_and_receipts_are_copied_from_their_events() -> None:
    billing = FakeBilling()
    account = orders_pb2.CustomerAccount(customer_id="C-1", name="Acme", payment_terms="net 14")
    await consumed(billing, "customer_registered", orders_pb2.CustomerRegistered(customer=account))
    account.name = "Acme Ltd"
    await consumed(billing, "customer_changed", orders_pb2.CustomerChanged(customer=account))
    issued = procurement_pb2.PurchaseOrderIssued(
        purchase_order_id=an_id(),
        number="PO-1",
        supplier_id="S-1",
        currency="EUR",
        lines=[
            procurement_pb2.PurchaseOrderLine(
                line_id="l1", product_id="p1", sku="SKU-1", quantity=2, unit_price=money("3")
            )
        ],
    )
    await consumed(billing, "purchase_order_issued", issued)
    received = inventory_pb2.GoodsReceived(
        receipt_id=an_id(),
        purchase_order_id=issued.purchase_order_id,
        lines=[inventory_pb2.ReceivedLine(product_id="p1", quantity=2)],
    )
    await consumed(billing, "goods_received", received)
    bad = procurement_pb2.PurchaseOrderIssued()
    bad.CopyFrom(issued)
    bad.purchase_order_id = an_id()
    bad.lines[0].unit_price.amount = "soon"
    with pytest.raises(PoisonEvent, match=f"purchase order {bad.purchase_order_id}"):
        await consumed(billing, "purchase_order_issued", bad)
    assert billing.state.customers["C-1"].name == "Acme Ltd"
    assert list(billing.state.purchase_orders) == [issued.purchase_order_id]
    assert list(billing.state.receipts.values()) == [(issued.purchase_order_id, 2)]


async def test_an_orders_lines_changed_and_a_customers_address_are_copied() -> None:
    billing = FakeBilling()
    account = orders_pb2.CustomerAccount(customer_id="C-2", name="Łódź Sp.", tax_id="PL1")
    account.billing_address.CopyFrom(
        orders_pb2.BillingAddress(line1="Żółta 5", city="Łódź", postal_code="90-001", country="PL")
    )
    await consumed(billing, "customer_registered", orders_pb2.CustomerRegistered(customer=account))
    kept = billing.state.customers["C-2"]
    assert (kept.tax_id, kept.billing_address) == (
        "PL1",
        {"line1": "Żółta 5", "line2": "", "city": "Łódź", "postal_code": "90-001",
         "country": "PL", "state": ""},
    )  # fmt: skip
    order = an_order()
    await consumed(billing, "sales_order_placed", order)
    changed = orders_pb2.SalesOrderLinesChanged(order_id=order.order_id)
    changed.lines.add().CopyFrom(order.lines[0])
    changed.lines[0].quantity = 7
    changed.lines.add(line_id="gone", product_id="p2", sku="SKU-2", quantity=0)
    await consumed(billing, "sales_order_lines_changed", changed)
    (line,) = billing.state.orders[order.order_id].lines.values()
    assert (line.quantity, line.unit_price) == (7, eur("12.5"))
    bad = orders_pb2.SalesOrderLinesChanged(order_id=order.order_id, document=a_priced_document())
    bad.document.breakdown.total = "1.00"
    with pytest.raises(PoisonEvent, match="does not price as stated"):
        await consumed(billing, "sales_order_lines_changed", bad)
