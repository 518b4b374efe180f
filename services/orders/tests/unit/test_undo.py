"""Undoing cleanly in orders, on the fakes: a payment taken back moves a paid order back to
invoiced; cancelling an order that shipped part cancels only the rest; a saga step that stalls
(an event dead-lettered, an answer awaited past the deadline) is kept for the order desk with
the reason and retried by a person, idempotently."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from orders.application.commands.cancel_sales_order import CancelSalesOrder, cancel_sales_order
from orders.application.commands.retry_stalled_steps import (
    RetryStalledSteps,
    retry_stalled_steps,
)
from orders.application.commands.stall_waiting_orders import stall_waiting_orders
from orders.application.ports import OrderQuery
from orders.application.queries.get_sales_order import get_sales_order
from orders.application.queries.list_sales_orders import list_sales_orders
from orders.application.queries.stalled_steps import list_stalled_steps
from orders.application.reactions.on_invoice_issued import on_invoice_issued
from orders.application.reactions.on_invoice_paid import on_invoice_paid
from orders.application.reactions.on_invoice_reopened import on_invoice_reopened
from orders.application.reactions.on_shipment_dispatched import on_shipment_dispatched
from orders.application.reactions.on_step_stalled import on_step_stalled
from orders.application.reactions.on_stock_reserved import on_stock_reserved
from orders.domain.events import (
    SalesOrderCancelled,
    SalesOrderLinesChanged,
    SalesOrderPlaced,
    SalesOrderStallCleared,
    SalesOrderStalled,
    SalesOrderStatusChanged,
)
from orders.domain.stalled import AWAITING_STOCK, STALLED, StalledEvent, StalledStep
from services.orders.tests.unit.builders import DESK, INVENTORY, as_user
from services.orders.tests.unit.test_saga import an_order, notes, stored

AT = datetime(2026, 11, 24, 9, tzinfo=UTC)


def moves(database: object, order_id: str) -> list[tuple[str, str, str]]:
    return [
        (e.from_status, e.to_status, e.reason)
        for e in database.published(SalesOrderStatusChanged)  # type: ignore[attr-defined]
        if e.order_id == order_id
    ]


async def test_a_payment_taken_back_moves_a_paid_order_back_to_invoiced() -> None:
    deps, database, order = await an_order(("p1", 2))
    line = order.lines[0].id
    with as_user(INVENTORY):
        await on_stock_reserved(deps, database.joining(), order.id, {line: 2})
        await on_shipment_dispatched(deps, database.joining(), order.id, "s1", {line: 2})
    await on_invoice_issued(deps, database.joining(), order.id, False)
    await on_invoice_paid(deps, database.joining(), order.id)
    assert stored(database, order.id).status == "closed"
    await on_invoice_reopened(deps, database.joining(), order.id, "inv-1", "25.00 EUR")
    found = stored(database, order.id)
    assert (found.status, found.invoices_paid) == ("invoiced", 0)
    why = "payment taken back: invoice inv-1 open again for 25.00 EUR"
    assert moves(database, order.id)[-1] == ("closed", "invoiced", why)
    assert found.status_reason == why
    await on_invoice_paid(deps, database.joining(), order.id)
    assert stored(database, order.id).status == "closed"
    await on_invoice_reopened(deps, database.joining(), "", "inv-9", "1.00 EUR")  # a quote's


async def test_a_payment_taken_back_before_the_order_is_paid_is_only_noted() -> None:
    deps, database, order = await an_order(("p1", 2))
    await on_invoice_reopened(deps, database.joining(), order.id, "inv-1", "5.00 EUR")
    assert stored(database, order.id).status == order.status
    assert notes(database, order.id)[-1][0].startswith("payment taken back")


async def test_cancelling_an_order_that_shipped_part_cancels_only_the_rest() -> None:
    deps, database, order = await an_order(("p1", 5), ("p2", 4))
    first, second = (x.id for x in order.lines)
    with as_user(INVENTORY):
        await on_stock_reserved(deps, database.joining(), order.id, {first: 5, second: 4})
        await on_shipment_dispatched(deps, database.joining(), order.id, "s1", {first: 2})
    await on_invoice_issued(deps, database.joining(), order.id, False)
    with as_user(DESK):
        view = await cancel_sales_order(deps, CancelSalesOrder(order.id, "customer withdrew"))
    found = stored(database, order.id)
    assert [(x.id, x.quantity, x.shipped) for x in found.lines] == [(first, 2, 2)]
    assert view.order.status == "invoiced"
    why = "rest cancelled (SKU-1 3, SKU-2 4 not shipped): customer withdrew"
    assert (why, "olga") in notes(database, order.id)
    assert ("partially_shipped", "shipped", why) in moves(database, order.id)
    assert not database.published(SalesOrderCancelled)
    (changed,) = database.published(SalesOrderLinesChanged)
    assert [(x.line_id, x.quantity) for x in changed.lines] == [(first, 2)]
    assert [m[1] for m in moves(database, order.id)][-2:] == ["shipped", "invoiced"]


def a_dead_letter(order_id: str, quote_id: str = "") -> StalledStep:
    kind = "oms.quoting.QuoteAccepted.v1"
    event = StalledEvent("ev-1", kind, "t", "k", b"\x01", "quoting", AT, "")
    return StalledStep("ev-1", order_id, quote_id, kind, "refused: no such thing", AT, event)


async def test_a_dead_lettered_step_stalls_until_a_retry_goes_through() -> None:
    deps, database, order = await an_order(("p1", 1))
    step = a_dead_letter("o-never", "q-7")
    for _ in "ab":  # told twice: kept once
        await on_step_stalled(database.joining(), step)
    await on_step_stalled(database.joining(), replace(a_dead_letter(order.id), id="ev-2"))
    (stalled, _) = database.published(SalesOrderStalled)
    assert (stalled.order_id, stalled.quote_id, stalled.reason) == (
        "o-never",
        "q-7",
        "refused: no such thing",
    )
    assert notes(database, order.id)[-1][0].startswith("stalled at oms.quoting.QuoteAccepted")
    listed, token = await list_stalled_steps(deps, 1, "")
    rest, _ = await list_stalled_steps(deps, 5, token)
    assert [s.order_id for s in listed + rest] == ["o-never", order.id]
    failures = ["still refused"]

    async def redrive(event: StalledEvent) -> str:
        return failures.pop() if failures else ""

    deps = replace(deps, redrive=redrive)
    with as_user(DESK):
        (tried,) = await retry_stalled_steps(deps, RetryStalledSteps("o-never"))
        assert (tried.status, tried.reason, tried.attempts, tried.retried_by) == (
            "stalled",
            "still refused",
            1,
            "olga",
        )
        (done,) = await retry_stalled_steps(deps, RetryStalledSteps("o-never"))
        (again,) = await retry_stalled_steps(deps, RetryStalledSteps("o-never"))
    assert (done.status, again.status, again.attempts) == ("resolved", "resolved", 2)
    assert [(e.order_id, e.quote_id) for e in database.published(SalesOrderStallCleared)] == [
        ("o-never", "q-7")
    ]
    assert await retry_stalled_steps(deps, RetryStalledSteps("o-none")) == []


async def test_an_order_inventory_does_not_answer_stalls_past_the_deadline() -> None:
    deps, database, order = await an_order(("p1", 1))
    deps = replace(deps, stall_after=timedelta(0))
    assert await stall_waiting_orders(deps) == 1
    assert await stall_waiting_orders(deps) == 0  # once
    (step,) = database.store.stalled.values()
    assert (step.order_id, step.step, step.event) == (order.id, AWAITING_STOCK, None)
    assert step.reason.startswith("inventory has not answered for")
    placed_before = len(database.published(SalesOrderPlaced))
    with as_user(DESK):
        (asked,) = await retry_stalled_steps(deps, RetryStalledSteps(order.id))
    assert asked.status == "stalled"
    assert asked.reason.startswith("inventory has not answered yet")
    assert len(database.published(SalesOrderPlaced)) == placed_before + 1  # announced again
    with as_user(INVENTORY):
        line = order.lines[0].id
        await on_stock_reserved(deps, database.joining(), order.id, {line: 1})
    with as_user(DESK):
        (answered,) = await retry_stalled_steps(deps, RetryStalledSteps(order.id))
    assert answered.status == "resolved"


async def test_an_order_with_a_stalled_step_says_so_alone_and_in_the_stalled_list() -> None:
    deps, database, order = await an_order(("p1", 1))
    await on_step_stalled(database.joining(), replace(a_dead_letter(order.id), id="ev-9"))
    with as_user(DESK):
        alone = await get_sales_order(deps, order.id)
        listed, _, _ = await list_sales_orders(deps, OrderQuery(status=STALLED), 10, "")
        others, _, _ = await list_sales_orders(deps, OrderQuery(), 10, "")
    why = "oms.quoting.QuoteAccepted.v1: refused: no such thing"
    assert alone.stalled == why
    assert [(v.order.id, v.stalled) for v in listed] == [(order.id, why)]
    assert [v.stalled for v in others] == [""]  # the plain list does not look
