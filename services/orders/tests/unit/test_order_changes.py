"""People's changes to an order on the fakes: moves, credit holds, cancelling, changing, returns,
costs and pipelines -- each refused whole or recorded, announced and logged together."""

from __future__ import annotations

from decimal import Decimal

import pytest

from orders.application.commands.authorize_return import AuthorizeReturn, authorize_return
from orders.application.commands.cancel_sales_order import CancelSalesOrder, cancel_sales_order
from orders.application.commands.change_sales_order import ChangeSalesOrder, change_sales_order
from orders.application.commands.record_order_cost import RecordOrderCost, record_order_cost
from orders.application.commands.set_pipeline import SetPipeline, set_pipeline
from orders.application.commands.transition_sales_order import (
    TransitionSalesOrder,
    transition_sales_order,
)
from orders.application.ports import Deps, OrderQuery
from orders.application.queries.cost_report import cost_report
from orders.application.queries.get_pipeline import get_pipeline
from orders.application.reactions.on_shipment_dispatched import on_shipment_dispatched
from orders.application.retry import Retry
from orders.domain.events import (
    ReturnAuthorized,
    ReturnedLine,
    SalesOrderApproved,
    SalesOrderCancelled,
    SalesOrderHoldChanged,
    SalesOrderLinesChanged,
)
from orders.domain.pipeline import STANDARD, to_definition
from pricing.money import Money
from servicekit.errors import (
    AlreadyExists,
    FailedPrecondition,
    InvalidArgument,
    NotFound,
    PermissionDenied,
)
from services.orders.tests.unit.builders import (
    ADMIN,
    DESK,
    FINANCE,
    INVENTORY,
    LEA,
    MIA,
    SAM,
    WAREHOUSE,
    a_catalog,
    a_request,
    as_user,
    placed,
    registered,
)
from services.orders.tests.unit.fakes import FakeDatabase, fake_deps


def move(order_id: str, to: str, release: bool = False, **fields: str) -> TransitionSalesOrder:
    return TransitionSalesOrder(order_id, to, fields, "", release)


async def test_a_contract_moves_only_as_its_pipeline_and_roles_allow() -> None:
    deps, database, _ = fake_deps(catalog=a_catalog())
    order = await placed(deps, a_request(registered(database), ("p1", 1), order_type="contract"))
    assert order.status == "request"
    refusals = [
        (move(order.id, "shipped"), DESK, FailedPrecondition),
        (move(order.id, "approval"), WAREHOUSE, PermissionDenied),
    ]
    for command, who, error in refusals:
        with as_user(who), pytest.raises(error):
            await transition_sales_order(deps, command)
    with as_user(SAM):
        view = await transition_sales_order(deps, move(order.id, "approval"))
    assert view.next_stages == ("execution", "request", "cancelled")
    with as_user(DESK), pytest.raises(InvalidArgument) as missing:
        await transition_sales_order(deps, move(order.id, "execution"))
    assert [v.field for v in missing.value.violations] == ["contract_number", "payment_terms"]
    signed = move(order.id, "execution", contract_number="K-17", payment_terms="30 days net")
    with as_user(DESK):
        moved = (await transition_sales_order(deps, signed)).order
    assert (moved.status, moved.contract_number) == ("execution", "K-17")
    journal = [(e.to_status, e.actor) for oid, e in database.store.journal if oid == order.id]
    assert journal == [("request", "sam"), ("approval", "sam"), ("execution", "olga")]


async def test_finance_alone_releases_a_credit_hold_and_it_is_announced() -> None:
    deps, database, _ = fake_deps(catalog=a_catalog())
    order = await placed(deps, a_request(registered(database, limit="10.00"), ("p1", 2)))
    assert order.status == "approval"
    with as_user(DESK), pytest.raises(FailedPrecondition):
        await transition_sales_order(deps, move(order.id, "execution"))
    with as_user(DESK), pytest.raises(PermissionDenied):
        await transition_sales_order(deps, move(order.id, "execution", release=True))
    with as_user(FINANCE):
        released = (await transition_sales_order(deps, move(order.id, "execution", True))).order
    assert (released.status, released.credit_hold) == ("execution", "")
    assert database.published(SalesOrderHoldChanged, SalesOrderApproved)[-2:] == [
        SalesOrderHoldChanged(order.id, False, "released by finance"),
        SalesOrderApproved(order.id),
    ]
    audit = [(a.action, a.actor) for a in database.store.audit]
    assert audit[-2:] == [("moved", "fin"), ("credit_hold_released", "fin")]
    notes = [e.note for oid, e in database.store.journal if oid == order.id and e.note]
    assert notes[-1].startswith("credit hold released: credit limit 10.00 EUR exceeded")


async def test_cancelling_is_the_desks_announced_and_logged() -> None:
    deps, database, _ = fake_deps(catalog=a_catalog())
    order = await placed(deps, a_request(registered(database), ("p1", 1)))
    with as_user(SAM), pytest.raises(PermissionDenied):
        await cancel_sales_order(deps, CancelSalesOrder(order.id, "x"))
    with as_user(DESK):
        cancelled = (await cancel_sales_order(deps, CancelSalesOrder(order.id, "withdrew"))).order
    assert (cancelled.status, cancelled.status_reason) == ("cancelled", "withdrew")
    assert database.published(SalesOrderCancelled) == [SalesOrderCancelled(order.id, "withdrew")]
    last = database.store.audit[-1]
    assert (last.action, last.after) == ("cancelled", {"status": "cancelled", "reason": "withdrew"})


async def test_a_change_is_announced_logged_before_and_after_and_kept_within_reach() -> None:
    deps, database, _ = fake_deps(catalog=a_catalog())
    order = await placed(deps, a_request(registered(database), ("p1", 4), ("p2", 1)), who=LEA)
    first, second = (line.id for line in order.lines)
    change = ChangeSalesOrder(order.id, {first: 3, second: 0}, {"city": "Lyon"})
    for who in (SAM, MIA):
        with as_user(who), pytest.raises(PermissionDenied):
            await change_sales_order(deps, change)
    with as_user(DESK), pytest.raises(NotFound):
        await change_sales_order(deps, ChangeSalesOrder("nope", {}))
    with as_user(LEA):
        changed = (await change_sales_order(deps, change)).order
    assert (changed.total, changed.shipping_address) == (Money.of("37.50", "EUR"), {"city": "Lyon"})
    (announced,) = database.published(SalesOrderLinesChanged)
    assert [(x.line_id, x.quantity) for x in announced.lines] == [(first, 3)]
    logged = database.store.audit[-1]
    assert logged.action == "changed"
    assert logged.before == {"quantities": {first: 4, second: 1}, "shipping_address": None}
    assert logged.after == {"quantities": {first: 3}, "shipping_address": {"city": "Lyon"}}
    notes = [e.note for oid, e in database.store.journal if oid == order.id and e.note]
    assert notes == [
        "line SKU-1: quantity 4 -> 3",
        "line SKU-2: quantity 1 -> 0",
        "shipping address changed",
    ]


async def shipped(deps: Deps, database: FakeDatabase, order_id: str, units: int) -> None:
    line = database.store.orders[order_id].lines[0].id
    with as_user(INVENTORY):
        await on_shipment_dispatched(deps, database.joining(), order_id, "s1", {line: units})


async def test_a_return_is_authorised_for_shipped_units_and_announced_to_inventory() -> None:
    deps, database, _ = fake_deps(catalog=a_catalog())
    order = await placed(deps, a_request(registered(database), ("p1", 3)))
    await shipped(deps, database, order.id, 2)
    line = order.lines[0].id
    with as_user(DESK), pytest.raises(InvalidArgument):
        await authorize_return(deps, AuthorizeReturn(order.id, {line: 3}, "damaged"))
    with as_user(DESK):
        _, return_id = await authorize_return(deps, AuthorizeReturn(order.id, {line: 2}, "damaged"))
    assert database.published(ReturnAuthorized) == [
        ReturnAuthorized(return_id, order.id, "damaged", (ReturnedLine(line, "p1", 2),))
    ]
    assert database.store.audit[-1].after == {
        "return_id": return_id,
        "lines": {line: 2},
        "reason": "damaged",
    }
    with as_user(DESK), pytest.raises(InvalidArgument):  # both shipped units are under return
        await authorize_return(deps, AuthorizeReturn(order.id, {line: 1}, "again"))


async def test_a_retried_cost_is_recorded_once_and_reported_against_the_estimate() -> None:
    deps, database, _ = fake_deps(catalog=a_catalog())
    order = await placed(deps, a_request(registered(database), ("p1", 4)))
    await shipped(deps, database, order.id, 3)
    cost = RecordOrderCost(order.id, "shipping", "9.90", " courier ", Retry("c1", "print"))
    with as_user(FINANCE):
        await record_order_cost(deps, cost)
        await record_order_cost(deps, cost)
    with as_user(FINANCE), pytest.raises(AlreadyExists):
        await record_order_cost(
            deps, RecordOrderCost(order.id, "shipping", "19.90", "", Retry("c1", "other"))
        )
    for bad, field in (("-1", "amount"), ("1234567890123", "amount")):
        with as_user(FINANCE), pytest.raises(InvalidArgument) as refused:
            await record_order_cost(
                deps, RecordOrderCost(order.id, "other", bad, "", Retry("", ""))
            )
        assert [v.field for v in refused.value.violations] == [field]
    with as_user(DESK):
        (report,), _ = await cost_report(deps, OrderQuery(order_id=order.id), 0, "")
    # fixed at approval for 4 units; 3 shipped at cost, and the courier
    figures = (report.estimated, report.actual, report.variance)
    assert figures == (Decimal("28.00"), Decimal("30.90"), Decimal("2.90"))
    assert [i.kind for i in report.items] == ["goods", "shipping"]
    logged = database.store.audit[-1]
    assert (logged.action, logged.after["amount"], logged.after["note"]) == (
        "cost_recorded",
        "9.90 EUR",
        "courier",
    )


async def test_a_pipeline_is_replaced_logged_and_served_at_once() -> None:
    deps, database, _ = fake_deps()
    assert await get_pipeline(deps, "") == STANDARD  # cached from now on
    definition = to_definition(STANDARD)
    definition["stages"][1]["probability"] = "0.6"
    with as_user(ADMIN), pytest.raises(InvalidArgument):
        await set_pipeline(deps, SetPipeline(" ", definition))
    with as_user(ADMIN):
        replaced = await set_pipeline(deps, SetPipeline("standard", definition))
    assert await get_pipeline(deps, "standard") == replaced != STANDARD
    (logged,) = database.store.audit
    assert (logged.entity_type, logged.action) == ("pipeline", "set")
    assert (logged.before, logged.after) == (to_definition(STANDARD), definition)
