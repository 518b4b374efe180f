"""Payables against the real broker and database: purchase orders and goods receipts copied from
their events, bills matched three ways, held and released, paid, and aged."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import grpc

from oms.billing.v1 import billing_pb2 as pb
from oms.events.v1 import billing_pb2 as events
from oms.types.v1.types_pb2 import Money
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

TODAY = datetime.now(UTC).date()


async def test_a_bill_is_matched_held_released_and_paid_and_bad_ones_change_nothing(
    service: Billing,
) -> None:
    stub = service.stub
    order = a_purchase_order()
    # The receipt overtakes its order on another topic: it still counts.
    first = a_receipt(order.purchase_order_id, ("p1", 6), ("p2", 3))
    async with service.log() as log:
        await service.send(first, key=first.receipt_id)
        await service.send(first, key=first.receipt_id)  # redelivered with a new event id
        await service.send(order, key=order.purchase_order_id)
        await copied(service, order.purchase_order_id, 9)

        assert await refused(
            stub.RecordBill(a_bill(order, "B-1", ("p1", 6, "10.00"), currency="USD"))
        ) == {"currency": "must be the purchase order's, EUR"}
        assert await refused(
            stub.RecordBill(a_bill(order, "B-1", ("p1", 6, "10.00"), ("p2", 4, "4.00")))
        ) == {
            "lines[1].quantity": "bills 4, more than the 3 received and not billed yet "
            "(3 received, 0 billed before)"
        }
        assert await refused(
            stub.RecordBill(
                pb.RecordBillRequest(
                    purchase_order_id="nope",
                    supplier_id="S-1",
                    supplier_reference="B-1",
                    currency="EUR",
                )
            )
        ) == {"purchase_order_id": "no purchase order nope issued"}
        assert not (await stub.ListBills(pb.ListBillsRequest(supplier_id="S-1"))).bills

        matched = (
            await stub.RecordBill(
                a_bill(order, "B-1", ("p1", 6, "10.15"), ("p2", 3, "4.00")), metadata=FINANCE
            )
        ).bill
        assert (matched.status, matched.match_status, matched.reason, matched.total.amount) == (
            "open",
            "matched",
            "",
            "72.90",
        )
        assert matched.due_date == (TODAY + timedelta(days=30)).isoformat()
        assert (matched.purchase_order_number, matched.recorded_by) == ("PO-2026-000001", "fiona")
        assert [(x.quantity, x.received_quantity, x.ordered_quantity) for x in matched.lines] == [
            (6, 6, 10),
            (3, 3, 5),
        ]
        assert await refused(stub.RecordBill(a_bill(order, "B-1", ("p1", 1, "10.00")))) == {
            "supplier_reference": f"already recorded as bill {matched.id}"
        }
        assert await refused(stub.RecordBill(a_bill(order, "B-9", ("p1", 1, "10.00")))) == {
            "lines[0].quantity": "bills 1, more than the 0 received and not billed yet "
            "(6 received, 6 billed before)"
        }

        # More arrives; the next bill's price is 5 % off: held, with the reason per line.
        await service.send(a_receipt(order.purchase_order_id, ("p1", 4)), key="r2")
        await copied(service, order.purchase_order_id, 13)
        held = (
            await stub.RecordBill(a_bill(order, "B-2", ("p1", 4, "10.50")), metadata=FINANCE)
        ).bill
        assert (held.status, held.match_status, held.total.amount) == ("held", "held", "42.00")
        assert held.reason == "SKU-1: unit price 10.5, ordered at 10 (more than 2 % off)"
        assert held.lines[0].billed_before == 6

        # A held bill cannot be paid until finance releases it.
        assert await refused(
            stub.RecordSupplierPayment(
                pb.RecordSupplierPaymentRequest(
                    supplier_id="S-1",
                    amount=eur("42.00"),
                    allocations=[pb.BillAllocationRequest(bill_id=held.id, amount=eur("42.00"))],
                )
            )
        ) == {"allocations[0].bill_id": f"bill {held.id} is held and cannot be paid"}
        released = (
            await stub.ReleaseBill(
                pb.ReleaseBillRequest(bill_id=held.id, note="price rise agreed by phone"),
                metadata=FINANCE,
            )
        ).bill
        assert (released.status, released.match_status, released.released_by) == (
            "open",
            "released",
            "fiona",
        )
        assert (
            await refused(
                stub.ReleaseBill(pb.ReleaseBillRequest(bill_id=held.id)),
                grpc.StatusCode.FAILED_PRECONDITION,
            )
            == {}
        )

        # One payment: the matched bill in full, part of the released one, by explicit amounts.
        payment = (
            await stub.RecordSupplierPayment(
                pb.RecordSupplierPaymentRequest(
                    supplier_id="S-1",
                    amount=eur("100.00"),
                    reference="SEPA 1",
                    allocations=[
                        pb.BillAllocationRequest(bill_id=matched.id, amount=eur("72.90")),
                        pb.BillAllocationRequest(bill_id=held.id, amount=eur("20.00")),
                    ],
                ),
                metadata=FINANCE,
            )
        ).payment
        assert (payment.unapplied.amount, len(payment.allocations)) == ("7.10", 2)
        assert await refused(
            stub.RecordSupplierPayment(
                pb.RecordSupplierPaymentRequest(
                    supplier_id="S-1",
                    amount=eur("50.00"),
                    allocations=[pb.BillAllocationRequest(bill_id=held.id, amount=eur("22.01"))],
                )
            )
        ) == {"allocations[0].amount": "exceeds the bill's open amount of 22.00 EUR"}
        # Without allocations: the oldest due payable bills first.
        rest = (
            await stub.RecordSupplierPayment(
                pb.RecordSupplierPaymentRequest(supplier_id="S-1", amount=eur("22.00"))
            )
        ).payment
        assert [(a.bill_id, a.amount.amount) for a in rest.allocations] == [(held.id, "22.00")]
        found = await log.wait_for(order.purchase_order_id, count=5)
    assert [type(m).__name__ for _, m in found] == [
        "BillRecorded",
        "BillRecorded",
        "BillReleased",
        "BillPaid",
        "BillPaid",
    ]
    recorded = found[1][1]
    assert isinstance(recorded, events.BillRecorded)
    assert (recorded.status, recorded.reason) == ("held", held.reason)
    bills = (
        await stub.ListBills(pb.ListBillsRequest(purchase_order_id=order.purchase_order_id))
    ).bills
    assert [(b.status, b.balance.amount) for b in bills] == [("paid", "0.00"), ("paid", "0.00")]
    listed = await stub.ListSupplierPayments(pb.ListSupplierPaymentsRequest(bill_id=held.id))
    assert [p.id for p in listed.payments] == [rest.id, payment.id]  # newest first


async def test_ap_ageing_totals_are_the_unpaid_bills(service: Billing) -> None:
    stub = service.stub
    orders = [a_purchase_order("S-A1"), a_purchase_order("S-A1"), a_purchase_order("S-A2")]
    for order in orders:
        await service.send(order, key=order.purchase_order_id)
        receipt = a_receipt(order.purchase_order_id, ("p1", 10), ("p2", 5))
        await service.send(receipt, key=receipt.receipt_id)
    for order in orders:
        await copied(service, order.purchase_order_id, 15)
    bills = [
        (
            await stub.RecordBill(
                a_bill(order, f"R-{n}", ("p1", 10, "10.00"), ("p2", 5, "4.00" if n else "5.00"))
            )
        ).bill
        for n, order in enumerate(orders)
    ]
    assert [b.status for b in bills] == ["held", "open", "open"]  # held bills are owed too
    await service.sql(
        "UPDATE bills SET due_date = :day WHERE id = :id",
        day=TODAY - timedelta(days=40),
        id=bills[1].id,
    )
    await stub.RecordSupplierPayment(
        pb.RecordSupplierPaymentRequest(
            supplier_id="S-A2",
            amount=eur("150.00"),
            allocations=[pb.BillAllocationRequest(bill_id=bills[2].id, amount=eur("20.00"))],
        )
    )
    report = await stub.GetApAging(pb.GetApAgingRequest())
    lines = {x.party_id: x for x in report.suppliers}
    assert (lines["S-A1"].buckets.current.amount, lines["S-A1"].buckets.days_31_60.amount) == (
        "125.00",
        "120.00",
    )
    assert (lines["S-A2"].buckets.total.amount, lines["S-A2"].credit.amount) == ("100.00", "130.00")
    (total,) = report.totals
    unpaid = sum(
        Decimal(b.balance.amount) for b in (await stub.ListBills(pb.ListBillsRequest())).bills
    )
    assert Decimal(total.buckets.total.amount) == unpaid == Decimal("345.00")
    assert (total.documents, total.credit.amount) == (3, "130.00")
    assert await refused(stub.GetApAging(pb.GetApAgingRequest(as_of="yesterday"))) == {
        "as_of": "a date as YYYY-MM-DD"
    }
    assert await refused(
        stub.RecordSupplierPayment(
            pb.RecordSupplierPaymentRequest(amount=Money(amount="0", currency="EUR"))
        )
    ) == {"supplier_id": "required, at most 100 characters", "amount": "must be more than zero"}


async def test_one_supplier_reference_recorded_twice_at_once_is_one_bill_and_a_conflict(
    service: Billing,
) -> None:
    first, second = a_purchase_order(), a_purchase_order()
    for order in (first, second):
        await service.send(order, key=order.purchase_order_id)
        await service.send(a_receipt(order.purchase_order_id, ("p1", 10)), key=order.number)
        await copied(service, order.purchase_order_id, 10)
    outcomes = await asyncio.gather(
        *(
            service.stub.RecordBill(
                a_bill(order, "SAME-REF", ("p1", 10, "10.00")), metadata=FINANCE
            )
            for order in (first, second)
        ),
        return_exceptions=True,
    )
    codes = sorted(o.code().name if isinstance(o, grpc.aio.AioRpcError) else "OK" for o in outcomes)
    assert codes in (["ALREADY_EXISTS", "OK"], ["INVALID_ARGUMENT", "OK"])
    rows = await service.sql("SELECT count(*) FROM bills WHERE supplier_reference = 'SAME-REF'")
    assert rows[0][0] == 1
