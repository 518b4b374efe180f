"""Reading orders on the fakes: one, a page with totals, the journal, the forecast -- each within
the caller's reach and cut to what their roles see."""

from __future__ import annotations

from decimal import Decimal

import pytest

from orders.application.ports import OrderQuery, OrderTotals
from orders.application.queries.get_sales_order import get_sales_order
from orders.application.queries.list_sales_orders import list_sales_orders
from orders.application.queries.sales_forecast import sales_forecast
from orders.application.queries.sales_order_history import sales_order_history
from servicekit.errors import InvalidArgument, NotFound, PermissionDenied
from services.orders.tests.unit.builders import (
    DESK,
    KIM,
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
from services.orders.tests.unit.fakes import fake_deps


async def test_a_salesperson_reaches_their_own_orders_and_a_manager_the_teams() -> None:
    deps, database, _ = fake_deps(catalog=a_catalog())
    customer = registered(database)
    orders = {
        who.subject: await placed(deps, a_request(customer, ("p1", 1)), who=who)
        for who in (SAM, KIM, LEA)
    }

    async def listed(who: object) -> list[str]:
        with as_user(who):  # type: ignore[arg-type]
            found, _, _ = await list_sales_orders(deps, OrderQuery(customer_id=customer), 0, "")
        return sorted(view.order.salesperson for view in found)

    assert await listed(SAM) == ["sam"]
    assert await listed(MIA) == ["kim", "sam"]
    assert await listed(DESK) == ["kim", "lea", "sam"]
    with as_user(SAM), pytest.raises(PermissionDenied):
        await get_sales_order(deps, orders["kim"].id)
    with as_user(MIA):
        assert (await get_sales_order(deps, orders["kim"].id)).order.id == orders["kim"].id
    with as_user(SAM), pytest.raises(PermissionDenied):
        await sales_order_history(deps, orders["lea"].id, 0, "")
    with as_user(DESK), pytest.raises(NotFound):
        await get_sales_order(deps, "nope")


async def test_the_warehouse_sees_no_prices_and_only_the_desk_sees_costs() -> None:
    deps, database, _ = fake_deps(catalog=a_catalog())
    order = await placed(deps, a_request(registered(database), ("p1", 1)))
    seen = {}
    for who in (SAM, WAREHOUSE, DESK):
        with as_user(who):
            seen[who.subject] = await get_sales_order(deps, order.id)
    assert [(v.prices_hidden, v.costs_hidden) for v in seen.values()] == [
        (False, True),
        (True, True),
        (False, False),
    ]
    assert seen["olga"].next_stages == ("partially_shipped", "shipped", "cancelled")


async def test_the_order_desks_list_pages_newest_first_with_the_totals_of_every_match() -> None:
    deps, database, _ = fake_deps(catalog=a_catalog())
    customer = registered(database)
    ids = [(await placed(deps, a_request(customer, ("p1", q)))).id for q in (1, 2, 3)]
    await placed(deps, a_request(customer, ("p1", 1), order_type="contract"))
    query = OrderQuery(customer_id=customer, order_type="standard")
    seen, token = [], ""
    with as_user(DESK):
        while True:
            found, token, totals = await list_sales_orders(deps, query, 2, token)
            seen += [view.order.id for view in found]
            assert totals == [OrderTotals("EUR", 3, Decimal("75"))]
            if not token:
                break
        with pytest.raises(InvalidArgument) as refused:
            await list_sales_orders(deps, query, 201, "")
    assert seen == ids[::-1]
    assert [v.field for v in refused.value.violations] == ["page_size"]


async def test_the_journal_comes_a_page_at_a_time() -> None:
    deps, database, _ = fake_deps(catalog=a_catalog())
    order = await placed(deps, a_request(registered(database), ("p1", 1)))
    pages, token = [], ""
    with as_user(DESK):
        while True:
            entries, token = await sales_order_history(deps, order.id, 2, token)
            pages.append([e.to_status for e in entries])
            if not token:
                break
        with pytest.raises(InvalidArgument):
            await sales_order_history(deps, order.id, 2, "garbage")
    assert pages == [["request", "approval"], ["execution"]]


async def test_the_forecast_weighs_the_open_orders_the_caller_reaches() -> None:
    deps, database, _ = fake_deps(catalog=a_catalog())
    customer = registered(database)
    await placed(deps, a_request(customer, ("p1", 8)), who=SAM)  # 100.00 in execution: 0.9
    await placed(deps, a_request(customer, ("p1", 4), order_type="contract"), who=LEA)  # 0.1
    with as_user(DESK):
        everyone = await sales_forecast(deps)
    with as_user(SAM):
        sams = await sales_forecast(deps)
    assert everyone == {("2026-12", "EUR"): Decimal("95.000")}
    assert sams == {("2026-12", "EUR"): Decimal("90.000")}
