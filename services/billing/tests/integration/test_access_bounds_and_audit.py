"""The billing service at its door, against the real broker and database: who may call it, input
out of range refused by field, lists in pages, and every change in its change log."""

from __future__ import annotations

import json
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import grpc
import pytest

from oms.billing.v1 import billing_pb2 as pb
from oms.billing.v1 import billing_pb2_grpc
from oms.events.v1 import inventory_pb2, orders_pb2
from servicekit.context import Principal
from services.billing.tests.integration.conftest import (
    FINANCE,
    Billing,
    a_bill,
    a_purchase_order,
    a_receipt,
    copied,
    eur,
    refused,
)
from testkit.security import session_security
from testkit.services import as_user, publish


async def status_of(call: Awaitable[Any]) -> grpc.StatusCode:
    try:
        await call
    except grpc.aio.AioRpcError as error:
        return error.code()
    return grpc.StatusCode.OK


async def test_callers_without_the_right_are_refused(service: Billing) -> None:
    invoice = await service.invoice("C-D1")
    read = pb.GetInvoiceRequest(invoice_id=invoice.id)
    security = session_security()
    # the gateway's certificate without a person's token, or with plain metadata claiming one
    refusals = {grpc.StatusCode.UNAUTHENTICATED, grpc.StatusCode.PERMISSION_DENIED}
    async with security.channel(service.target, token="") as bare:
        stub = billing_pb2_grpc.BillingServiceStub(bare)
        assert await status_of(stub.GetInvoice(read)) in refusals
        forged = (("x-oms-subject", "mallory"), ("x-oms-roles", "admin,finance"))
        assert await status_of(stub.GetInvoice(read, metadata=forged)) in refusals
        bogus = (("authorization", "Bearer not-a-token"),)
        assert await status_of(stub.GetInvoice(read, metadata=bogus)) == (
            grpc.StatusCode.UNAUTHENTICATED
        )
    stub = service.stub
    bills, payments = pb.ListBillsRequest(), pb.ListPaymentsRequest()
    allowed = [
        stub.GetInvoice(read, metadata=as_user("s", "sales")),
        stub.ListPayments(payments, metadata=as_user("o", "order-desk")),
        stub.ListBills(bills, metadata=as_user("p", "purchasing")),
    ]
    denied = [
        stub.GetInvoice(read, metadata=as_user("w", "warehouse")),
        stub.ListPayments(payments, metadata=as_user("p", "purchasing")),
        stub.ListBills(bills, metadata=as_user("s", "sales")),
        stub.RecordPayment(pb.RecordPaymentRequest(), metadata=as_user("s", "sales")),
    ]
    assert [await status_of(c) for c in allowed] == [grpc.StatusCode.OK] * len(allowed)
    assert [await status_of(c) for c in denied] == [grpc.StatusCode.PERMISSION_DENIED] * len(denied)

    reporting, other = f"reporting-{uuid.uuid4().hex[:6]}", f"other-{uuid.uuid4().hex[:6]}"
    security.pki.register_client(reporting, ["billing:read"])
    security.pki.register_client(other, ["orders:read"])
    async with security.channel(service.target, as_name=reporting, token="") as channel:
        client = billing_pb2_grpc.BillingServiceStub(channel)
        assert await status_of(client.GetInvoice(read)) == grpc.StatusCode.OK
        assert await status_of(client.ListBills(bills)) == grpc.StatusCode.OK
        payment = pb.RecordPaymentRequest(invoice_id=invoice.id, amount=eur("1.00"))
        assert await status_of(client.RecordPayment(payment)) == grpc.StatusCode.PERMISSION_DENIED
    async with security.channel(service.target, as_name=other, token="") as channel:
        client = billing_pb2_grpc.BillingServiceStub(channel)
        assert await status_of(client.GetInvoice(read)) == grpc.StatusCode.PERMISSION_DENIED


async def test_out_of_range_input_is_refused_by_field(service: Billing) -> None:
    stub = service.stub
    invoice = await service.invoice("C-D2")
    huge = "1" + "0" * 39
    for amount in (huge, "1.0000001"):
        payment = pb.RecordPaymentRequest(invoice_id=invoice.id, amount=eur(amount))
        assert set(await refused(stub.RecordPayment(payment))) == {"amount"}
    spread = pb.RecordCustomerPaymentRequest(
        customer_id="C-D2",
        amount=eur(huge),
        allocations=[pb.AllocationRequest(invoice_id=invoice.id, amount=eur(huge))],
    )
    assert set(await refused(stub.RecordCustomerPayment(spread))) == {
        "amount",
        "allocations[0].amount",
    }
    note = pb.IssueCreditNoteRequest(customer_id="C-D2", amount=eur(huge), memo="x")
    assert set(await refused(stub.IssueCreditNote(note))) == {"amount"}
    sent = pb.RecordSupplierPaymentRequest(supplier_id="S-1", amount=eur("0.0000001"))
    assert set(await refused(stub.RecordSupplierPayment(sent))) == {"amount"}
    long_id = pb.RecordPaymentRequest(invoice_id=invoice.id, amount=eur("1"), request_id="r" * 101)
    assert set(await refused(stub.RecordPayment(long_id))) == {"request_id"}

    order = a_purchase_order("S-D2")
    await service.send(order, key=order.purchase_order_id)
    receipt = a_receipt(order.purchase_order_id, ("p1", 10), ("p2", 5))
    await service.send(receipt, key=receipt.receipt_id)
    await copied(service, order.purchase_order_id, 15)
    bill = a_bill(order, "B-D2", ("p1", 10**9, "10.00"), ("p2", 1, "1" + "0" * 12))
    assert await refused(stub.RecordBill(bill)) == {
        "lines[0].quantity": "between 1 and 1,000,000",
        "lines[1].unit_price": "at most 12 digits before the point",
    }

    lists: list[Callable[..., Awaitable[Any]]] = [
        lambda **kw: stub.ListInvoices(pb.ListInvoicesRequest(**kw)),
        lambda **kw: stub.ListPayments(pb.ListPaymentsRequest(**kw)),
        lambda **kw: stub.ListCreditNotes(pb.ListCreditNotesRequest(**kw)),
        lambda **kw: stub.ListBills(pb.ListBillsRequest(**kw)),
        lambda **kw: stub.ListSupplierPayments(pb.ListSupplierPaymentsRequest(**kw)),
    ]
    for listing in lists:
        assert await refused(listing(page_size=10**6)) == {"page_size": "between 1 and 200"}
        assert await refused(listing(page_token="not-ours")) == {
            "page_token": "not a token this API issued"
        }


async def pages(call: Callable[[str], Awaitable[Any]], field: str) -> list[list[str]]:
    """Every page's ids, following next_page_token to the end."""
    found, token = [], ""
    while True:
        reply = await call(token)
        found.append([x.id for x in getattr(reply, field)])
        token = reply.next_page_token
        if not token:
            return found


async def test_every_list_comes_newest_first_in_pages(service: Billing) -> None:
    stub = service.stub
    invoices = [(await service.invoice("C-D3", quantity=1)).id for _ in range(3)]
    payments = []
    for invoice_id in invoices:
        request = pb.RecordPaymentRequest(invoice_id=invoice_id, amount=eur("1.00"))
        payments.append((await stub.RecordPayment(request, metadata=FINANCE)).payment.id)
    notes = []
    for _ in range(3):
        request = pb.IssueCreditNoteRequest(customer_id="C-D3", amount=eur("1"), memo="goodwill")
        notes.append((await stub.IssueCreditNote(request, metadata=FINANCE)).credit_note.id)
    order = a_purchase_order("S-D3")
    await service.send(order, key=order.purchase_order_id)
    receipt = a_receipt(order.purchase_order_id, ("p1", 10))
    await service.send(receipt, key=receipt.receipt_id)
    await copied(service, order.purchase_order_id, 10)
    bills, sent = [], []
    for n in range(3):
        bill = a_bill(order, f"B-D3-{n}", ("p1", 1, "10.00"))
        bills.append((await stub.RecordBill(bill, metadata=FINANCE)).bill.id)
        money = pb.RecordSupplierPaymentRequest(supplier_id="S-D3", amount=eur("1.00"))
        sent.append((await stub.RecordSupplierPayment(money, metadata=FINANCE)).payment.id)

    def newest_first(ids: list[str]) -> list[list[str]]:
        return [ids[::-1][:2], ids[::-1][2:]]

    customer = {"customer_id": "C-D3", "page_size": 2}
    assert await pages(
        lambda t: stub.ListInvoices(pb.ListInvoicesRequest(page_size=2, page_token=t)), "invoices"
    ) == newest_first(invoices)
    assert await pages(
        lambda t: stub.ListPayments(pb.ListPaymentsRequest(**customer, page_token=t)), "payments"
    ) == newest_first(payments)
    assert await pages(
        lambda t: stub.ListCreditNotes(pb.ListCreditNotesRequest(**customer, page_token=t)),
        "credit_notes",
    ) == newest_first(notes)
    assert await pages(
        lambda t: stub.ListBills(pb.ListBillsRequest(page_size=2, page_token=t)), "bills"
    ) == newest_first(bills)
    assert await pages(
        lambda t: stub.ListSupplierPayments(
            pb.ListSupplierPaymentsRequest(supplier_id="S-D3", page_size=2, page_token=t)
        ),
        "payments",
    ) == newest_first(sent)


def change(entry: Any) -> tuple[str, str, dict[str, Any]]:
    return entry.action, entry.actor, json.loads(entry.after_json or "{}")


async def test_every_change_is_in_the_change_log_with_who_made_it(service: Billing) -> None:
    stub = service.stub
    placed = await service.invoice("C-D4", quantity=2)  # 25.00
    # An invoice is issued for a shipment: its actor is whoever dispatched it.
    line = orders_pb2.SalesOrderLine(
        line_id=str(uuid.uuid4()), product_id="p1", sku="S", quantity=5, unit_price=eur("2.00")
    )
    order = orders_pb2.SalesOrderPlaced(
        order_id=str(uuid.uuid4()), customer_id="C-D4", currency="EUR", lines=[line]
    )
    shipment = inventory_pb2.ShipmentDispatched(
        shipment_id=str(uuid.uuid4()),
        order_id=order.order_id,
        lines=[inventory_pb2.ShippedLine(line_id=line.line_id, quantity=5)],
    )
    wes = Principal("wes", ("warehouse",))
    await publish(service.bootstrap, order, key=order.order_id, namespace=service.ns)
    await publish(service.bootstrap, shipment, key=order.order_id, namespace=service.ns, actor=wes)
    listing = pb.ListInvoicesRequest(order_id=order.order_id)

    async def issued() -> bool:
        return bool((await stub.ListInvoices(listing)).invoices)

    await service.eventually(issued)
    (invoice,) = (await stub.ListInvoices(listing)).invoices  # 10.00
    (entry,) = await service.changes("invoice", invoice.id)
    assert change(entry)[:2] == ("issued", "wes")
    assert change(entry)[2]["total"] == "10.00 EUR"

    paid = (
        await stub.RecordCustomerPayment(
            pb.RecordCustomerPaymentRequest(
                customer_id="C-D4",
                amount=eur("30.00"),
                reference="remit 4",
                allocations=[pb.AllocationRequest(invoice_id=placed.id, amount=eur("25.00"))],
            ),
            metadata=FINANCE,
        )
    ).payment  # 5.00 of it is credit
    applied = (
        await stub.ApplyCustomerCredit(
            pb.ApplyCustomerCreditRequest(customer_id="C-D4", invoice_id=invoice.id),
            metadata=FINANCE,
        )
    ).payment
    await stub.UnallocatePayment(
        pb.UnallocatePaymentRequest(payment_id=paid.id, invoice_id=placed.id), metadata=FINANCE
    )
    unallocated, recorded = await service.changes("payment", paid.id)
    assert change(recorded)[:2] == ("recorded", "fiona")
    assert change(recorded)[2]["amount"] == "30.00 EUR"
    assert change(unallocated)[:2] == ("unallocated", "fiona")
    assert (json.loads(unallocated.before_json), json.loads(unallocated.after_json)) == (
        {"allocations": [{"invoice_id": placed.id, "amount": "25.00 EUR"}]},
        {"allocations": []},
    )
    (credit,) = await service.changes("payment", applied.id)
    assert change(credit)[:2] == ("credit_applied", "fiona")

    note = (
        await stub.IssueCreditNote(
            pb.IssueCreditNoteRequest(customer_id="C-D4", amount=eur("1"), memo="goodwill"),
            metadata=FINANCE,
        )
    ).credit_note
    (issued_note,) = await service.changes("credit_note", note.id)
    assert change(issued_note)[:2] == ("issued", "fiona")
    assert change(issued_note)[2]["memo"] == "goodwill"

    sent = (
        await stub.RecordSupplierPayment(
            pb.RecordSupplierPaymentRequest(supplier_id="S-D4", amount=eur("5.00")),
            metadata=FINANCE,
        )
    ).payment
    (entry,) = await service.changes("supplier_payment", sent.id)
    assert change(entry) == (
        "recorded",
        "fiona",
        {
            "supplier_id": "S-D4",
            "amount": "5.00 EUR",
            "reference": "",
            "paid_on": sent.paid_on,
            "allocations": [],
            "unapplied": "5.00 EUR",
        },
    )
    with pytest.raises(grpc.aio.AioRpcError):
        await service.changes("")  # the type is required
