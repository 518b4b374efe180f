"""Payables on the fakes: purchase orders and goods received copied from events, bills recorded
and matched, held, released by a second person, paid by payments sent; AP ageing."""

from __future__ import annotations

import pytest

from billing.application.commands.record_bill import BillPolicy, RecordBill, record_bill
from billing.application.commands.record_supplier_payment import (
    BillShare,
    RecordSupplierPayment,
    record_supplier_payment,
)
from billing.application.commands.release_bill import ReleaseBill, release_bill
from billing.application.commands.set_exchange_rate import SetExchangeRate, set_exchange_rate
from billing.application.queries.aging import ap_aging
from billing.application.queries.bills import get_bill, list_bills
from billing.application.queries.supplier_payments import list_supplier_payments
from billing.application.reactions.on_goods_received import GoodsReceived, on_goods_received
from billing.application.reactions.on_purchase_order_issued import (
    PurchaseOrderIssued,
    on_purchase_order_issued,
)
from billing.application.retries import Retry
from billing.domain.bills import CannotCopy, IssuedLine
from billing.domain.events import BillPaid, BillRecorded, BillReleased
from billing.domain.payables import DualControl, LineIn, Tolerance
from servicekit.errors import FailedPrecondition, InvalidArgument, PermissionDenied
from services.billing.tests.unit.builders import amount, an_id, as_user, eur, of_kind
from services.billing.tests.unit.fakes import FakeBilling

POLICY = BillPolicy(Tolerance(), DualControl(eur("10000")))


def fields(error: InvalidArgument) -> dict[str, str]:
    return {v.field: v.description for v in error.violations}


def an_order(supplier_id: str = "S-1", currency: str = "EUR") -> PurchaseOrderIssued:
    """10 of p1 at 10.00 and 5 of p2 at 4.00."""
    return PurchaseOrderIssued(
        an_id(),
        "PO-2026-000001",
        supplier_id,
        currency,
        "net 30",
        (
            IssuedLine("l1", "p1", "SKU-1", 10, "10.00", currency),
            IssuedLine("l2", "p2", "SKU-2", 5, "4.00", currency),
        ),
    )


async def ordered_and_received(billing: FakeBilling, *lines: tuple[str, int]) -> str:
    order = an_order()
    async with billing() as uow:
        await on_purchase_order_issued(uow, order)
        await on_purchase_order_issued(uow, order)  # again: nothing more
        await on_goods_received(uow, GoodsReceived(an_id(), order.purchase_order_id, lines))
        await on_goods_received(uow, GoodsReceived(an_id(), "", (("p1", 99),)))
    return order.purchase_order_id


def a_bill(order_id: str, reference: str, *lines: tuple[str, int, str]) -> RecordBill:
    bill_lines = tuple(LineIn(p, q, u) for p, q, u in lines)
    return RecordBill(
        order_id, "S-1", reference, "EUR", bill_lines, Retry(f"bill-{reference}", "p")
    )


async def test_a_purchase_order_no_bill_could_match_is_refused() -> None:
    dollars = (IssuedLine("l1", "p1", "", 1, "2", "USD"),)
    bad = PurchaseOrderIssued(an_id(), "PO-2026-000002", "S-1", "EUR", "", dollars)
    async with FakeBilling()() as uow:
        with pytest.raises(CannotCopy, match="the order is in EUR"):
            await on_purchase_order_issued(uow, bad)


async def test_a_bill_is_matched_held_released_and_paid_and_bad_ones_change_nothing() -> None:
    billing = FakeBilling()
    order_id = await ordered_and_received(billing, ("p1", 10), ("p2", 5))
    with as_user("fiona"):
        matched = await record_bill(billing(), POLICY, a_bill(order_id, "R-1", ("p1", 4, "10.00")))
        again = await record_bill(billing(), POLICY, a_bill(order_id, "R-1", ("p1", 4, "10.00")))
        held = await record_bill(billing(), POLICY, a_bill(order_id, "R-2", ("p2", 5, "4.50")))
        with pytest.raises(InvalidArgument) as error:
            await record_bill(billing(), POLICY, a_bill(order_id, "R-3", ("p1", 7, "10.00")))
    assert (matched.status, matched.match_status, matched.id) == ("open", "matched", again.id)
    assert (held.status, held.match_status) == ("held", "held")
    assert "unit price 4.5, ordered at 4 (more than 2 % off)" in held.reason
    assert fields(error.value) == {
        "lines[0].quantity": "bills 7, more than the 6 received and not billed yet "
        "(10 received, 4 billed before)"
    }
    assert [(e.status, e.total) for e in of_kind(billing, BillRecorded)] == [
        ("matched", eur("40.00")),
        ("held", eur("22.50")),
    ]
    with as_user("gina"):
        with pytest.raises(FailedPrecondition):
            await release_bill(billing(), ReleaseBill(matched.id))
        released = await release_bill(billing(), ReleaseBill(held.id, " price agreed "))
        paid = await record_supplier_payment(
            billing(), RecordSupplierPayment("S-1", amount("70.00"), "wire 1")
        )
    assert (released.match_status, released.release_note, released.released_by) == (
        "released",
        "price agreed",
        "gina",
    )
    assert [(a.bill_id, a.amount, a.supplier_reference) for a in paid.allocations] == [
        (matched.id, eur("40.00"), "R-1"),
        (held.id, eur("22.50"), "R-2"),
    ]
    assert paid.unapplied == eur("7.50")
    assert {e.bill_id for e in of_kind(billing, BillPaid)} == {matched.id, held.id}
    assert len(of_kind(billing, BillReleased)) == 1
    assert billing.changes[-1].after["allocations"][0] == {
        "bill_id": matched.id,
        "amount": "40.00 EUR",
    }


async def test_a_bill_above_the_limit_is_released_by_a_second_finance_user() -> None:
    billing = FakeBilling()
    order_id = await ordered_and_received(billing, ("p1", 10))
    strict = BillPolicy(Tolerance(), DualControl(eur("50")))
    with as_user("fiona"):
        big = await record_bill(billing(), strict, a_bill(order_id, "R-1", ("p1", 10, "10.00")))
        with pytest.raises(PermissionDenied, match="another finance user"):
            await release_bill(billing(), ReleaseBill(big.id))
        with pytest.raises(InvalidArgument) as held:
            await record_supplier_payment(
                billing(),
                RecordSupplierPayment(
                    "S-1", amount("10.00"), allocations=(BillShare(big.id, amount("10.00")),)
                ),
            )
    assert (big.match_status, big.dual_control) == ("held", True)
    assert "a second finance user releases it" in big.reason
    assert list(fields(held.value)) == ["allocations[0].bill_id"]
    with as_user("gina"):
        released = await release_bill(billing(), ReleaseBill(big.id))
    assert (released.recorded_by, released.released_by) == ("fiona", "gina")
    assert billing.changes[-1].after["recorded_by"] == "fiona"


async def test_a_bill_in_another_currency_is_held_until_a_rate_converts_it() -> None:
    billing = FakeBilling()
    order = an_order(currency="USD")
    async with billing() as uow:
        await on_purchase_order_issued(uow, order)
        await on_goods_received(uow, GoodsReceived(an_id(), order.purchase_order_id, (("p1", 3),)))
    line = (LineIn("p1", 1, "10.00"),)
    with as_user():
        unknown = await record_bill(
            billing(), POLICY, RecordBill(order.purchase_order_id, "S-1", "R-1", "USD", line)
        )
        await set_exchange_rate(billing(), SetExchangeRate("EUR", "USD", "1.25"))
        known = await record_bill(
            billing(), POLICY, RecordBill(order.purchase_order_id, "S-1", "R-2", "USD", line)
        )
    assert (unknown.dual_control, unknown.match_status) == (True, "held")
    assert (known.dual_control, known.match_status) == (False, "matched")
    # a large one is held, with the rate it was converted with kept in its reason
    small = BillPolicy(Tolerance(), DualControl(eur("5")))
    with as_user():
        large = await record_bill(
            billing(), small, RecordBill(order.purchase_order_id, "S-1", "R-3", "USD", line)
        )
    assert large.dual_control
    assert f"10.00 USD at EUR/USD 1.25 (inverted, from {large.recorded_at.date()}) = 8.00 EUR" in (
        large.reason
    )


async def test_ap_ageing_and_lists_of_bills_and_payments_sent() -> None:
    billing = FakeBilling()
    order_id = await ordered_and_received(billing, ("p1", 10), ("p2", 5))
    with as_user():
        bills = [
            await record_bill(billing(), POLICY, a_bill(order_id, f"R-{n}", ("p1", 2, "10.00")))
            for n in range(3)
        ]
        await record_supplier_payment(
            billing(),
            RecordSupplierPayment(
                "S-1", amount("25.00"), "wire", allocations=(BillShare(bills[0].id, amount("20")),)
            ),
        )
    _, aging = await ap_aging(billing(), "", "S-1")
    (line,) = aging.lines
    assert (line.party_id, line.total, line.credit, line.documents) == (
        "S-1",
        eur("40.00"),
        eur("5.00"),
        2,
    )
    first, token = await list_bills(billing(), order_id, "", "", 2, "")
    rest, _ = await list_bills(billing(), "", "S-1", "", 2, token)
    assert [b.id for b in first + rest] == [b.id for b in reversed(bills)]
    assert [b.id for b in (await list_bills(billing(), "", "", "paid", 0, ""))[0]] == [bills[0].id]
    assert (await get_bill(billing(), bills[0].id)).purchase_order_number == "PO-2026-000001"
    sent, _ = await list_supplier_payments(billing(), "", bills[0].id, 0, "")
    assert [p.amount for p in sent] == [eur("25.00")]
