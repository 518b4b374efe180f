"""Retries never double money, against the real database: every command that moves money, sent
again under its request id or twice at once, has exactly one effect; a customer payment sent
again under its reference lands once; the same id or reference with other content is refused."""

from __future__ import annotations

import asyncio
from typing import Any

import grpc

from oms.billing.v1 import billing_pb2 as pb
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


async def twice_at_once(call: Any, request: Any) -> tuple[Any, Any]:
    first, second = await asyncio.gather(
        call(request, metadata=FINANCE), call(request, metadata=FINANCE)
    )
    return first, second


async def test_a_payment_retried_or_sent_twice_at_once_pays_once(service: Billing) -> None:
    stub = service.stub
    invoice = await service.invoice("C-T1", quantity=1, price="4.00")
    request = pb.RecordPaymentRequest(invoice_id=invoice.id, amount=eur("4.00"), request_id="r-1")
    first, second = await twice_at_once(stub.RecordPayment, request)
    assert first.payment.id == second.payment.id
    retried = await stub.RecordPayment(request, metadata=FINANCE)  # after a timeout, say
    assert retried.payment == first.payment
    paid = await service.get(invoice.id)
    assert (paid.status, paid.amount_paid.amount) == ("paid", "4.00")  # never 8.00 against 4.00
    listed = await stub.ListPayments(pb.ListPaymentsRequest(invoice_id=invoice.id))
    assert [p.id for p in listed.payments] == [first.payment.id]
    assert await service.customer("C-T1") == (["0.00"], [])

    other = pb.RecordPaymentRequest(invoice_id=invoice.id, amount=eur("3.00"), request_id="r-1")
    assert await refused(stub.RecordPayment(other), grpc.StatusCode.ALREADY_EXISTS) == {
        "request_id": "already used with other content"
    }


async def test_a_customer_payment_is_recorded_once_per_reference(service: Billing) -> None:
    stub = service.stub
    invoice = await service.invoice("C-T2", quantity=1, price="4.00")
    bank = pb.RecordCustomerPaymentRequest(
        customer_id="C-T2", amount=eur("4.00"), reference="BANK-77", received_on="2026-03-02"
    )
    # sent twice at once without any request id: the reference alone keeps it to one payment
    first, second = await twice_at_once(stub.RecordCustomerPayment, bank)
    assert first.payment.id == second.payment.id
    again = pb.RecordCustomerPaymentRequest()
    again.CopyFrom(bank)
    again.request_id = "another-key"
    assert (await stub.RecordCustomerPayment(again)).payment == first.payment
    assert await service.customer("C-T2") == (["0.00"], [])  # 4.00 paid once, no credit
    paid = await service.get(invoice.id)
    assert (paid.status, paid.amount_paid.amount) == ("paid", "4.00")

    bank.amount.amount = "5.00"
    assert await refused(stub.RecordCustomerPayment(bank), grpc.StatusCode.ALREADY_EXISTS) == {
        "reference": f"already used by payment {first.payment.id}"
    }
    one_invoice = pb.RecordPaymentRequest(
        invoice_id=invoice.id, amount=eur("4.00"), reference="BANK-77"
    )
    assert set(await refused(stub.RecordPayment(one_invoice), grpc.StatusCode.ALREADY_EXISTS)) == {
        "reference"
    }
    # another customer's payment may carry the same text
    bank.customer_id, bank.amount.amount = "C-T2b", "1.00"
    assert (await stub.RecordCustomerPayment(bank)).payment.unapplied.amount == "1.00"
    listed = await stub.ListPayments(pb.ListPaymentsRequest(customer_id="C-T2"))
    assert [p.id for p in listed.payments] == [first.payment.id]


async def test_credit_notes_credit_applied_and_unallocations_happen_once(service: Billing) -> None:
    stub = service.stub
    invoice = await service.invoice("C-T3", quantity=2, price="5.00")  # 10.00
    note = pb.IssueCreditNoteRequest(
        customer_id="C-T3", amount=eur("6.00"), memo="goodwill", request_id="n-1"
    )
    first, second = await twice_at_once(stub.IssueCreditNote, note)
    assert first.credit_note.id == second.credit_note.id
    assert (await stub.IssueCreditNote(note, metadata=FINANCE)).credit_note == first.credit_note
    assert await service.customer("C-T3") == (["10.00"], ["6.00"])

    apply = pb.ApplyCustomerCreditRequest(
        customer_id="C-T3", invoice_id=invoice.id, amount=eur("4.00"), request_id="a-1"
    )
    first, second = await twice_at_once(stub.ApplyCustomerCredit, apply)
    assert first.payment.id == second.payment.id
    assert (await stub.ApplyCustomerCredit(apply, metadata=FINANCE)).payment == first.payment
    assert await service.customer("C-T3") == (["6.00"], ["2.00"])

    back = pb.UnallocatePaymentRequest(payment_id=first.payment.id, request_id="u-1")
    first, second = await twice_at_once(stub.UnallocatePayment, back)
    assert first.payment == second.payment
    retried = await stub.UnallocatePayment(back, metadata=FINANCE)
    assert retried.payment.allocated.amount == "0.00"
    assert await service.customer("C-T3") == (["10.00"], ["6.00"])
    notes = await stub.ListCreditNotes(pb.ListCreditNotesRequest(customer_id="C-T3"))
    assert len(notes.credit_notes) == 1


async def test_bills_and_payments_sent_retried_or_doubled_happen_once(service: Billing) -> None:
    stub = service.stub
    order = a_purchase_order("S-T4")
    await service.send(order, key=order.purchase_order_id)
    receipt = a_receipt(order.purchase_order_id, ("p1", 10))
    await service.send(receipt, key=receipt.receipt_id)
    await copied(service, order.purchase_order_id, 10)

    bill = a_bill(order, "SUP-1", ("p1", 10, "10.00"))
    bill.request_id = "b-1"
    first, second = await twice_at_once(stub.RecordBill, bill)
    assert first.bill.id == second.bill.id
    assert (await stub.RecordBill(bill, metadata=FINANCE)).bill == first.bill
    bills = await stub.ListBills(pb.ListBillsRequest(purchase_order_id=order.purchase_order_id))
    assert [b.id for b in bills.bills] == [first.bill.id]

    payment = pb.RecordSupplierPaymentRequest(
        supplier_id="S-T4", amount=eur("100.00"), request_id="s-1"
    )
    sent, again = await twice_at_once(stub.RecordSupplierPayment, payment)
    assert sent.payment.id == again.payment.id
    assert (await stub.RecordSupplierPayment(payment, metadata=FINANCE)).payment == sent.payment
    paid = (await stub.GetBill(pb.GetBillRequest(bill_id=first.bill.id))).bill
    assert (paid.status, paid.amount_paid.amount) == ("paid", "100.00")
    listed = await stub.ListSupplierPayments(pb.ListSupplierPaymentsRequest(supplier_id="S-T4"))
    assert [p.id for p in listed.payments] == [sent.payment.id]
