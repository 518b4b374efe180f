"""Undoing cleanly in billing, on the fakes: a purchase order that cancelled units bills none of
them, an advance to a supplier applied to a later bill (AP ageing shows the bill reduced), a
payment taken back off a paid invoice announced (InvoiceReopened); and the property that
receipts, bills and payments reconcile to the cent."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from billing.application.commands.apply_supplier_advance import (
    ApplySupplierAdvance,
    apply_supplier_advance,
)
from billing.application.commands.record_bill import record_bill
from billing.application.commands.record_payment import RecordPayment, record_payment
from billing.application.commands.record_supplier_payment import (
    RecordSupplierPayment,
    record_supplier_payment,
)
from billing.application.commands.unallocate_payment import UnallocatePayment, unallocate_payment
from billing.application.queries.aging import ap_aging
from billing.application.reactions.on_purchase_order_reduced import (
    PurchaseOrderReduced,
    on_purchase_order_reduced,
)
from billing.application.retries import Retry
from billing.domain.bills import Bill, PurchaseOrderCopy
from billing.domain.events import BillPaid, BillRecorded, InvoiceReopened
from billing.domain.payables import PAID, LineIn, OrderedLine, Tolerance, match_bill
from pricing.money import Money
from servicekit.errors import InvalidArgument
from services.billing.tests.unit.builders import amount, as_user, eur, invoiced, of_kind
from services.billing.tests.unit.fakes import FakeBilling
from services.billing.tests.unit.test_bills import POLICY, a_bill, fields, ordered_and_received

NOW = datetime(2026, 3, 2, tzinfo=UTC)


async def test_units_a_purchase_order_cancelled_are_never_billed() -> None:
    billing = FakeBilling()
    order_id = await ordered_and_received(billing, ("p1", 4))
    async with billing() as uow:
        await on_purchase_order_reduced(uow, PurchaseOrderReduced(order_id, (("p1", 6), ("p2", 5))))
        await on_purchase_order_reduced(uow, PurchaseOrderReduced("unknown", (("p1", 1),)))
    with as_user():
        with pytest.raises(InvalidArgument) as cancelled:
            await record_bill(billing(), POLICY, a_bill(order_id, "R-1", ("p1", 5, "10.00")))
        with pytest.raises(InvalidArgument) as never_came:
            await record_bill(billing(), POLICY, a_bill(order_id, "R-2", ("p2", 1, "4.00")))
        bill = await record_bill(billing(), POLICY, a_bill(order_id, "R-3", ("p1", 4, "10.00")))
    assert list(fields(cancelled.value)) == ["lines[0].quantity"]
    assert "6 of 10 ordered were cancelled" in fields(cancelled.value)["lines[0].quantity"]
    assert list(fields(never_came.value)) == ["lines[0].quantity"]
    assert bill.match_status == "matched"
    (recorded,) = of_kind(billing, BillRecorded)
    assert recorded.lines == (("p1", 4),)


def test_a_bill_line_beyond_what_is_received_and_not_cancelled_names_the_field() -> None:
    ordered = {"p1": OrderedLine("p1", "SKU-1", 10, eur("10.00"), cancelled=3)}
    with pytest.raises(InvalidArgument) as error:
        match_bill("EUR", ordered, {"p1": 9}, {"p1": 5}, [LineIn("p1", 3, "10.00")], Tolerance())
    assert fields(error.value) == {
        "lines[0].quantity": "bills 3, more than the 2 received, not cancelled and not billed "
        "yet (3 of 10 ordered were cancelled, 9 received, 5 billed before)"
    }


async def test_an_advance_is_applied_by_hand_to_a_later_bill() -> None:
    billing = FakeBilling()
    with as_user():
        advance = await record_supplier_payment(
            billing(), RecordSupplierPayment("S-1", amount("100.00"), "prepayment")
        )
    order_id = await ordered_and_received(billing, ("p1", 4), ("p2", 5))
    with as_user():
        bill = await record_bill(billing(), POLICY, a_bill(order_id, "R-1", ("p1", 4, "10.00")))
        other = await record_bill(billing(), POLICY, a_bill(order_id, "R-2", ("p2", 5, "4.00")))
        _, before = await ap_aging(billing(), "")
        retry = Retry("advance-1", "p")
        applied = await apply_supplier_advance(
            billing(), ApplySupplierAdvance(advance.id, bill.id, retry=retry)
        )
        again = await apply_supplier_advance(
            billing(), ApplySupplierAdvance(advance.id, bill.id, retry=retry)
        )
        with pytest.raises(InvalidArgument) as paid:
            await apply_supplier_advance(billing(), ApplySupplierAdvance(advance.id, bill.id))
        with pytest.raises(InvalidArgument) as too_much:
            await apply_supplier_advance(
                billing(), ApplySupplierAdvance(advance.id, other.id, amount("60.01"))
            )
        part = await apply_supplier_advance(
            billing(), ApplySupplierAdvance(advance.id, other.id, amount("5.00"))
        )
        _, after = await ap_aging(billing(), "")
    assert (applied.unapplied, again.unapplied, part.unapplied) == (
        eur("60.00"),
        eur("60.00"),
        eur("55.00"),
    )
    assert [(a.bill_id, a.amount) for a in part.allocations] == [
        (bill.id, eur("40.00")),
        (other.id, eur("5.00")),
    ]
    assert list(fields(paid.value)) == ["bill_id"]
    assert list(fields(too_much.value)) == ["amount"]
    assert [e.bill_id for e in of_kind(billing, BillPaid)] == [bill.id]
    assert billing.state.bills[other.id].balance == eur("15.00")
    owed = [sum(x.total.amount for x in aging.totals) for aging in (before, after)]
    assert owed[0] - owed[1] == Decimal("45.00")
    assert [x.credit for x in after.lines] == [eur("55.00")]


async def test_a_payment_taken_back_off_a_paid_invoice_reopens_it_by_event() -> None:
    billing = FakeBilling()
    invoice = await invoiced(billing)  # 3 x 12.50
    with as_user():
        part = await record_payment(billing(), RecordPayment(invoice.id, amount("10.00")))
        rest = await record_payment(billing(), RecordPayment(invoice.id, amount("27.50")))
        await unallocate_payment(billing(), UnallocatePayment(part.id))  # paid: reopened
        await record_payment(billing(), RecordPayment(invoice.id, amount("10.00")))
        await unallocate_payment(billing(), UnallocatePayment(rest.id))
    reopened = of_kind(billing, InvoiceReopened)
    assert [(e.invoice_id, e.order_id, e.payment_id, e.balance) for e in reopened] == [
        (invoice.id, invoice.order_id, part.id, eur("10.00")),
        (invoice.id, invoice.order_id, rest.id, eur("27.50")),
    ]


# -- the property: receipts, bills and payments reconcile to the cent ----------------------------

PRICES = st.decimals(Decimal("0.01"), Decimal("99.99"), places=2)


@st.composite
def purchases(draw: st.DrawFn) -> tuple[PurchaseOrderCopy, dict[str, int], list[tuple[str, int]]]:
    count = draw(st.integers(1, 3))
    lines = {}
    received = {}
    for i in range(count):
        product = f"p{i}"
        ordered = draw(st.integers(1, 20))
        cancelled = draw(st.integers(0, ordered))
        price = Money(draw(PRICES), "EUR")
        lines[product] = OrderedLine(product, product.upper(), ordered, price, i, cancelled)
        received[product] = draw(st.integers(0, ordered - cancelled))
    order = PurchaseOrderCopy("po-1", "PO-1", "S-1", "EUR", "net 30", lines)
    attempts = draw(
        st.lists(st.tuples(st.sampled_from(sorted(lines)), st.integers(1, 25)), max_size=12)
    )
    return order, received, attempts


@settings(max_examples=200, deadline=None)
@given(purchases(), st.lists(st.decimals(Decimal("0.01"), Decimal("500"), places=2), max_size=8))
def test_bills_never_exceed_what_was_received_and_not_cancelled_and_payments_reconcile(
    purchase: tuple[PurchaseOrderCopy, dict[str, int], list[tuple[str, int]]],
    payments: list[Decimal],
) -> None:
    order, received, attempts = purchase
    billed: dict[str, int] = {}
    bills: list[Bill] = []
    for n, (product, quantity) in enumerate(attempts):
        line = order.lines[product]
        price = str(line.unit_price.amount)
        asked = [LineIn(product, quantity, price)]
        billable = min(received[product], line.quantity - line.cancelled)
        if billed.get(product, 0) + quantity > billable:
            with pytest.raises(InvalidArgument) as refused:
                match_bill("EUR", order.lines, received, billed, asked, Tolerance())
            assert [v.field for v in refused.value.violations] == ["lines[0].quantity"]
            continue
        match = match_bill("EUR", order.lines, received, billed, asked, Tolerance())
        billed[product] = billed.get(product, 0) + quantity
        bill, _ = Bill.record(
            f"b-{n}", order, f"R-{n}", match, None, recorded_at=NOW, recorded_by="f"
        )
        assert bill.total == sum((x.line_total for x in match.lines), Money.zero("EUR"))
        bills.append(bill)
    for product, units in billed.items():
        line = order.lines[product]
        assert units <= min(received[product], line.quantity - line.cancelled)
    for n, paying in enumerate(payments):
        open_bills = [b for b in bills if b.status != PAID]
        if not open_bills:
            break
        bill = open_bills[n % len(open_bills)]
        bill.pay(Money(min(paying, bill.balance.amount), "EUR"))
    total = sum((b.total for b in bills), Money.zero("EUR"))
    paid = sum((b.amount_paid for b in bills), Money.zero("EUR"))
    open_ = sum((b.balance for b in bills), Money.zero("EUR"))
    assert (paid + open_).amount == total.amount  # to the cent
    for bill in bills:
        assert bill.amount_paid.amount <= bill.total.amount
        assert (bill.status == PAID) == (bill.amount_paid.amount == bill.total.amount)
