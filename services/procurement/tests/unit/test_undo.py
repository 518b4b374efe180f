"""A purchase order undone cleanly: cancelled after part of it arrived, a line reduced (the units
cancelled are announced to inventory and billing), and closed only once settled -- nothing left
to arrive, every unit received billed, every bill paid -- however goods, bills and payments
interleave."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from procurement.domain.events import CancelledUnits, PurchaseOrderReduced
from procurement.domain.purchase_orders import PurchaseOrder, Status
from procurement.domain.settlement import LineState, settled
from servicekit.errors import FailedPrecondition, InvalidArgument
from services.procurement.tests.unit.test_purchase_orders import NOW, line, sent


def reduced(events: list[object]) -> PurchaseOrderReduced:
    found = [e for e in events if isinstance(e, PurchaseOrderReduced)]
    assert len(found) == 1
    return found[0]


def moves(events: list[object]) -> list[str]:
    return [e.to_status for e in events if hasattr(e, "to_status")]


def test_an_order_stays_billed_while_one_of_its_bills_is_unpaid() -> None:
    # seen: closed after 73.20 was paid with 52.00 outstanding
    order = sent(line("p-1", 6, "12.20"), line("p-3", 4, "13.00"))
    order.receive("r-1", "w-1", {"p-1": 6, "p-3": 4}, NOW, "wh")
    assert moves(order.record_bill("b-1", "matched", NOW, "ap", {"p-1": 6})) == ["billed"]
    assert order.record_bill("b-2", "matched", NOW, "ap", {"p-3": 4}) == []
    assert order.bill_paid("b-1", NOW, "ap") == []  # 73.20 paid, 52.00 outstanding
    assert order.status == Status.BILLED
    assert moves(order.bill_paid("b-2", NOW, "ap")) == ["closed"]
    assert [(b.bill_id, b.status) for b in order.bills] == [("b-1", "paid"), ("b-2", "paid")]


def test_an_order_stays_billed_while_units_received_are_not_billed() -> None:
    order = sent(line("p-1", 6, "12.20"))
    order.receive("r-1", "w-1", {"p-1": 6}, NOW, "wh")
    order.record_bill("b-1", "matched", NOW, "ap", {"p-1": 4})
    assert order.bill_paid("b-1", NOW, "ap") == []
    assert (order.status, order.billed("p-1")) == (Status.BILLED, 4)
    order.record_bill("b-2", "matched", NOW, "ap", {"p-1": 2})
    assert moves(order.bill_paid("b-2", NOW, "ap")) == ["closed"]


def test_cancelling_a_partially_received_order_cancels_what_has_not_arrived() -> None:
    order = sent(line("p-1", 10, "4.00"), line("p-3", 5, "2.00"))
    order.receive("r-1", "w-1", {"p-1": 4}, NOW, "wh")
    events = order.cancel(" supplier out of stock ", NOW, "pat")
    cut = reduced(events)
    assert cut.lines == (CancelledUnits("p-1", 4, 6), CancelledUnits("p-3", 0, 5))
    assert (cut.reason, cut.order_cancelled, cut.warehouse_id) == (
        "supplier out of stock",
        False,
        "w-1",
    )
    assert moves(events) == ["received"]
    assert order.cancelled == {"p-1": 6, "p-3": 5}
    order.record_bill("b-1", "matched", NOW, "ap", {"p-1": 4})
    assert moves(order.bill_paid("b-1", NOW, "ap")) == ["closed"]


def test_cancelling_a_sent_order_with_nothing_received_cancels_it_all() -> None:
    order = sent(line("p-1", 10, "4.00"))
    events = order.cancel("not needed", NOW, "pat")
    assert reduced(events).order_cancelled
    assert reduced(events).lines == (CancelledUnits("p-1", 0, 10),)
    assert moves(events) == ["cancelled"]
    with pytest.raises(FailedPrecondition):
        order.cancel("again", NOW, "pat")


def test_a_line_reduced_to_what_arrived_moves_the_order_to_received() -> None:
    order = sent(line("p-1", 10, "4.00"), line("p-3", 5, "2.00"))
    order.receive("r-1", "w-1", {"p-1": 7, "p-3": 5}, NOW, "wh")
    for units, field in ((7 - 1, "quantity"), (10, "quantity")):
        with pytest.raises(InvalidArgument) as refused:
            order.reduce("p-1", units, "", NOW, "pat")
        assert [v.field for v in refused.value.violations] == [field]
    with pytest.raises(InvalidArgument) as unknown:
        order.reduce("p-9", 1, "", NOW, "pat")
    assert [v.field for v in unknown.value.violations] == ["product_id"]
    events = order.reduce("p-1", 7, "", NOW, "pat")
    assert reduced(events).lines == (CancelledUnits("p-1", 7, 3),)
    assert reduced(events).reason == "line reduced to 7"
    assert moves(events) == ["received"]
    with pytest.raises(FailedPrecondition):
        order.reduce("p-3", 4, "", NOW, "pat")


def test_reducing_every_line_to_nothing_cancels_the_order() -> None:
    order = sent(line("p-1", 10, "4.00"))
    events = order.reduce("p-1", 0, "wrong product", NOW, "pat")
    assert reduced(events).order_cancelled
    assert moves(events) == ["cancelled"]


def test_a_receipt_of_cancelled_units_is_noted() -> None:
    order = sent(line("p-1", 10, "4.00"))
    order.receive("r-1", "w-1", {"p-1": 4}, NOW, "wh")
    order.cancel("late", NOW, "pat")
    order.receive("r-2", "w-1", {"p-1": 2}, NOW, "wh")
    assert (
        order.receipts[-1].note == "beyond what is still ordered: 6 in all, 4 ordered, 6 cancelled"
    )


# -- the property --------------------------------------------------------------------------------

PRODUCTS = ("p-1", "p-3", "p-4")
Step = tuple[str, int, int]  # (what, which product/bill, units)


@st.composite
def histories(draw: st.DrawFn) -> tuple[dict[str, int], list[Step]]:
    ordered = {p: draw(st.integers(1, 12)) for p in PRODUCTS[: draw(st.integers(1, 3))]}
    kinds = st.sampled_from(["receive", "bill", "pay", "reduce", "cancel"])
    steps = draw(
        st.lists(st.tuples(kinds, st.integers(0, 5), st.integers(0, 12)), min_size=1, max_size=25)
    )
    return ordered, steps


def _apply(order: PurchaseOrder, step: Step, bills: dict[str, bool], n: int) -> None:
    """One step as the rest of the suite would let it happen: inventory receives at most what
    is still to come (it refuses cancelled units), billing bills at most what was received and
    not billed nor cancelled, payments go to bills."""
    what, which, units = step
    states = order.line_states()
    products = list(states)
    product = products[which % len(products)]
    state = states[product]
    if what == "receive" and order.status != Status.CANCELLED and state.due:
        order.receive(f"r-{n}", "w-1", {product: min(units, state.due) or 1}, NOW, "wh")
    elif what == "bill" and state.billable - state.billed > 0:
        quantity = min(units, state.billable - state.billed) or 1
        bill_id = f"b-{n}"
        order.record_bill(bill_id, "matched", NOW, "ap", {product: quantity})
        bills[bill_id] = False
    elif what == "pay" and bills:
        bill_id = sorted(bills)[which % len(bills)]
        order.bill_paid(bill_id, NOW, "ap")
        bills[bill_id] = True
    elif what == "reduce" and order.status in (Status.SENT, Status.PARTIALLY_RECEIVED):
        still = state.ordered - state.cancelled
        if state.received < still:
            order.reduce(product, max(state.received, min(units, still - 1)), "", NOW, "pat")
    elif what == "cancel" and order.status in (Status.SENT, Status.PARTIALLY_RECEIVED):
        order.cancel("", NOW, "pat")


@settings(max_examples=300, deadline=None)
@given(histories())
def test_receipts_bills_and_payments_reconcile_and_close_only_when_settled(
    history: tuple[dict[str, int], list[Step]],
) -> None:
    ordered, steps = history
    order = sent(*(line(p, q, "1.10") for p, q in ordered.items()))
    bills: dict[str, bool] = {}
    for n, step in enumerate(steps):
        _apply(order, step, bills, n)
        for product, state in order.line_states().items():
            # billed <= received and not cancelled <= ordered; cancelled units never arrive
            assert state.billed <= state.billable <= state.ordered
            assert state.received + state.cancelled <= state.ordered
            assert state.cancelled == order.cancelled.get(product, 0)
        # closed exactly when nothing is left to arrive, all received is billed, all bills paid
        is_settled = settled(order.line_states(), order.bills)
        assert (order.status == Status.CLOSED) == is_settled
        if is_settled:
            assert all(bills.values())


def test_settled_needs_a_bill_and_every_bill_paid() -> None:
    done = {"p-1": LineState(ordered=5, cancelled=1, received=4, billed=4)}
    assert not settled(done, [])
