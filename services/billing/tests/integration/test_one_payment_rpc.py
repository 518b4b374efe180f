"""RecordCustomerPayment is the one RPC for every payment received, against the real broker and
database: `invoice_id` alone pays that invoice as RecordPayment does (its customer is the payer,
at most its balance, in its currency), with the customer too it is that customer's payment all
for that invoice, and with `allocations` as well it is refused on `invoice_id`."""

from __future__ import annotations

from oms.billing.v1 import billing_pb2 as pb
from oms.types.v1.types_pb2 import Money
from services.billing.tests.integration.conftest import FINANCE, Billing, eur, refused


async def processed(service: Billing, operation: str) -> int:
    rows = await service.sql(
        "SELECT count(*) FROM processed_requests WHERE operation = :operation",
        operation=operation,
    )
    return int(rows[0][0])


async def test_an_invoice_alone_is_paid_by_its_customer_as_record_payment_pays_it(
    service: Billing,
) -> None:
    stub = service.stub
    invoice = await service.invoice("C-P1")  # 37.50
    one = pb.RecordCustomerPaymentRequest(
        invoice_id=invoice.id,
        amount=eur("20.00"),
        reference="transfer 7",
        received_on="2026-03-02",
        request_id="pay-1",
    )
    paid = (await stub.RecordCustomerPayment(one, metadata=FINANCE)).payment
    assert (paid.customer_id, paid.invoice_id, paid.invoice_number, paid.recorded_by) == (
        "C-P1",
        invoice.id,
        invoice.number,
        "fiona",
    )
    assert [(a.invoice_id, a.amount.amount) for a in paid.allocations] == [(invoice.id, "20.00")]
    retried = await stub.RecordCustomerPayment(one, metadata=FINANCE)
    assert retried.payment == paid
    # The same payment through RecordPayment: the same request, so the first payment again.
    old = pb.RecordPaymentRequest(
        invoice_id=invoice.id,
        amount=eur("20.00"),
        reference="transfer 7",
        received_on="2026-03-02",
        request_id="pay-2",
    )
    assert (await stub.RecordPayment(old, metadata=FINANCE)).payment.id == paid.id
    assert await processed(service, "record_payment") == 2
    too_much = pb.RecordCustomerPaymentRequest(invoice_id=invoice.id, amount=eur("17.51"))
    assert await refused(stub.RecordCustomerPayment(too_much, metadata=FINANCE)) == {
        "amount": "exceeds the invoice's balance of 17.50 EUR"
    }
    dollars = pb.RecordCustomerPaymentRequest(
        invoice_id=invoice.id, amount=Money(amount="1.00", currency="USD")
    )
    assert await refused(stub.RecordCustomerPayment(dollars, metadata=FINANCE)) == {
        "amount.currency": "must be the invoice's currency, EUR"
    }
    nothing = pb.RecordCustomerPaymentRequest(invoice_id="nope", amount=eur("1.00"))
    assert await refused(stub.RecordCustomerPayment(nothing, metadata=FINANCE)) == {
        "invoice_id": "no invoice nope"
    }
    assert (await service.get(invoice.id)).amount_paid.amount == "20.00"


async def test_an_invoice_with_its_customer_takes_the_payment_and_allocations_are_refused(
    service: Billing,
) -> None:
    stub = service.stub
    invoice = await service.invoice("C-P2")  # 37.50
    both = pb.RecordCustomerPaymentRequest(
        customer_id="C-P2",
        invoice_id=invoice.id,
        amount=eur("10.00"),
        allocations=[pb.AllocationRequest(invoice_id=invoice.id, amount=eur("10.00"))],
    )
    assert await refused(stub.RecordCustomerPayment(both, metadata=FINANCE)) == {
        "invoice_id": "name the invoices in allocations, or one invoice_id without them"
    }
    too_much = pb.RecordCustomerPaymentRequest(
        customer_id="C-P2", invoice_id=invoice.id, amount=eur("37.51")
    )
    assert await refused(stub.RecordCustomerPayment(too_much, metadata=FINANCE)) == {
        "allocations[0].amount": "exceeds the invoice's open amount of 37.50 EUR"
    }
    theirs = pb.RecordCustomerPaymentRequest(
        customer_id="C-P3", invoice_id=invoice.id, amount=eur("1.00")
    )
    assert list(await refused(stub.RecordCustomerPayment(theirs, metadata=FINANCE))) == [
        "allocations[0].invoice_id"
    ]
    mine = pb.RecordCustomerPaymentRequest(
        customer_id="C-P2", invoice_id=invoice.id, amount=eur("37.50"), reference="R-1"
    )
    paid = (await stub.RecordCustomerPayment(mine, metadata=FINANCE)).payment
    assert (paid.invoice_id, paid.allocated.amount, paid.unapplied.amount) == ("", "37.50", "0.00")
    assert (await service.get(invoice.id)).status == "paid"
    assert await service.customer("C-P2") == (["0.00"], [])
