"""What every repository of the orders service must do, run against the fakes (unit tests) and
the PostgreSQL adapters (integration tests), so a fake cannot drift from the real adapter.

Each check takes `units`: a callable opening a unit of work (`async with units() as uow`). The
checks share a database in the integration run, so each works on ids and names of its own."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from orders.application.ports import (
    ConcurrentUpdate,
    OrderQuery,
    OrderTotals,
    TaskQuery,
    UnitOfWork,
)
from orders.domain.activity import Entry, Link
from orders.domain.credit import ExchangeRate
from orders.domain.customer_input import Address, Contact, CustomerInput, MoneyInput
from orders.domain.customers import CreditPosition, CustomerFilter, open_account
from orders.domain.events import CostIncurred, SalesOrderEvent
from orders.domain.lines import ReturnRequest
from orders.domain.pipeline import CONTRACT, STANDARD, from_definition, to_definition
from orders.domain.placing import CatalogProduct, OrderRequest, Placer, place
from orders.domain.sales_order import SalesOrder
from orders.domain.stalled import AWAITING_STOCK, STALLED, StalledEvent, StalledStep
from orders.domain.tasks import DONE, Task, TaskChange, changed, new_task
from pricing.money import Money
from servicekit.context import Principal, acting
from servicekit.errors import AlreadyExists
from servicekit.sales_reach import Reach

Units = Callable[[], AbstractAsyncContextManager[UnitOfWork]]
Check = Callable[[Units], Awaitable[None]]

T0 = datetime(2026, 11, 24, 9, tzinfo=UTC)
SECOND = timedelta(seconds=1)
CATALOG = {
    "p1": CatalogProduct("p1", "SKU-1", Money.of("12.50", "EUR"), True, Decimal("7.00"), "cat-a"),
    "p2": CatalogProduct("p2", "SKU-2", Money.of("0.333", "EUR"), True),
    "kit": CatalogProduct(
        "kit", "KIT-1", Money.of("30", "EUR"), True, components=(("p1", "SKU-1", 2),)
    ),
}
SAM = Placer("sam", "sam", "north")


def _tag() -> str:
    return uuid.uuid4().hex[:8]


def an_order(
    customer: str,
    *lines: tuple[str, int],
    at: datetime = T0,
    placer: Placer = SAM,
    order_type: str = "standard",
) -> tuple[SalesOrder, list[SalesOrderEvent]]:
    request = OrderRequest(
        customer,
        "EUR",
        [(p, q, "2026-12-15") for p, q in lines],
        "web",
        order_type=order_type,
        shipping_address={"city": "Lyon"},
    )
    return place(request, CATALOG, at, placer)


async def _added(units: Units, order: SalesOrder, events: list[SalesOrderEvent]) -> None:
    async with units() as uow:
        await uow.orders.add(order, events)


# -- sales orders ---------------------------------------------------------------------------------


async def an_order_comes_back_as_it_was_added(units: Units) -> None:
    plain, events = an_order(_tag(), ("p1", 3), ("p2", 2))
    plain.review_note = "tax woo-1: store 4.94, engine 4.95"  # a channel's figures, flagged
    kit, kit_events = an_order(_tag(), ("kit", 2), ("p2", 1))
    await _added(units, plain, events)
    await _added(units, kit, kit_events)
    async with units() as uow:
        found = await uow.orders.get(plain.id)
        found_kit = await uow.orders.get(kit.id, for_update=True)
        assert await uow.orders.get(str(uuid.uuid4())) is None
    assert found == replace(plain, updated_at=plain.created_at)
    assert found.version == plain.version == 1
    assert found_kit is not None
    assert found_kit.document == kit.document
    assert found_kit.total == kit.total == Money.of("60.33", "EUR")


async def a_saved_order_keeps_its_changes_and_counts_its_version(units: Units) -> None:
    order, events = an_order(_tag(), ("p1", 3), ("p2", 2))
    await _added(units, order, events)
    async with units() as uow:
        found = await uow.orders.get(order.id, for_update=True)
        assert found is not None
        first = found.lines[0].id
        changes = found.advance(STANDARD, None)
        changes += found.change({first: 2, found.lines[1].id: 0}, {"city": "Paris"})
        changes += found.stock_reserved({first: 2}, {})
        await uow.orders.save(found, changes)
        assert found.version == 2
    async with units() as uow:
        again = await uow.orders.get(order.id)
    assert again is not None
    assert (again.status, again.stock_status, again.version) == ("approval", "reserved", 2)
    assert [(x.sku, x.quantity, x.reserved) for x in again.lines] == [("SKU-1", 2, 2)]
    assert again.shipping_address == {"city": "Paris"}
    assert again.total == Money.of("25.00", "EUR")
    async with units() as uow:  # saved again without a new document: the stored one stays
        kept = await uow.orders.get(order.id, for_update=True)
        assert kept is not None
        await uow.orders.save(kept, [])
    async with units() as uow:
        last = await uow.orders.get(order.id)
    assert last is not None
    assert (last.version, last.document, last.total) == (3, again.document, again.total)


async def a_stale_order_is_not_saved(units: Units) -> None:
    order, events = an_order(_tag(), ("p1", 1))
    await _added(units, order, events)
    async with units() as uow:
        first = await uow.orders.get(order.id)
    async with units() as uow:
        second = await uow.orders.get(order.id)
    assert first is not None
    assert second is not None
    async with units() as uow:
        await uow.orders.save(first, first.note("first"))
    with pytest.raises(ConcurrentUpdate):
        async with units() as uow:
            await uow.orders.save(second, second.note("second"))


async def the_journal_keeps_the_placing_each_move_then_each_note(units: Units) -> None:
    order, events = an_order(_tag(), ("p1", 1))
    events += order.advance(STANDARD, None)
    with acting(Principal("sam", ("sales",))):
        await _added(units, order, events)
    with acting(Principal("walt", ("warehouse",)), causation="event-1"):
        async with units() as uow:
            found = await uow.orders.get(order.id, for_update=True)
            assert found is not None
            changes = found.note("picked") + found.cancel(STANDARD, ["order-desk"], "withdrawn")
            await uow.orders.save(found, changes)
    async with units() as uow:
        entries = await uow.orders.history(order.id, 0, 10)
        tail = await uow.orders.history(order.id, entries[1].id, 2)
    assert [(e.from_status, e.to_status, e.reason, e.note) for e in entries] == [
        (None, "request", "", ""),
        ("request", "approval", "automatic", ""),
        ("approval", "cancelled", "withdrawn", ""),
        (None, "cancelled", "", "picked"),
    ]
    assert [(e.actor, e.caused_by) for e in entries] == [
        ("sam", None),
        ("sam", None),
        ("walt", "event-1"),
        ("walt", "event-1"),
    ]
    assert entries[0].at == order.created_at
    assert tail == entries[2:4]


async def orders_are_listed_newest_first_filtered_within_reach_with_totals(units: Units) -> None:
    customer = _tag()
    kim = Placer("kim", "kim", "south")
    placed = [
        an_order(customer, ("p1", 1), at=T0),
        an_order(customer, ("p1", 2), at=T0 + timedelta(minutes=1), placer=kim),
        an_order(customer, ("p2", 3), at=T0 + timedelta(minutes=2), order_type="contract"),
    ]
    for order, events in placed:
        await _added(units, order, events)
    ids = [order.id for order, _ in placed]
    query = OrderQuery(customer_id=customer)
    async with units() as uow:
        first = await uow.orders.page(query, None, 2)
        rest = await uow.orders.page(query, (first[-1].created_at, first[-1].id), 2)
        totals = await uow.orders.totals(query)
        contract = await uow.orders.page(replace(query, order_type="contract"), None, 5)
        of_a = await uow.orders.page(replace(query, category_id="cat-a"), None, 5)
        from_later = await uow.orders.page(
            replace(query, created_from=T0 + timedelta(minutes=1)), None, 5
        )
        sams = await uow.orders.page(replace(query, reach=Reach(salesperson="sam")), None, 5)
        south = await uow.orders.page(
            replace(query, reach=Reach(salesperson="mia", team="south")), None, 5
        )
    assert [o.id for o in first + rest] == ids[::-1]
    assert totals == [OrderTotals("EUR", 3, Decimal("38.50"))]
    assert str(totals[0].total) == "38.500000"  # as the column keeps it
    assert [o.id for o in contract] == [ids[2]]
    assert [o.id for o in of_a] == ids[1::-1]
    assert [o.id for o in from_later] == ids[:0:-1]
    assert [o.id for o in sams] == [ids[2], ids[0]]
    assert [o.id for o in south] == [ids[1]]


async def open_orders_and_the_forecast_count_only_orders_not_yet_invoiced(units: Units) -> None:
    customer = _tag()
    placed = [an_order(customer, ("p1", q), placer=Placer(customer, customer)) for q in (1, 2, 4)]
    cancelled = placed[2][0]
    placed[2][1].extend(cancelled.cancel(STANDARD, ["order-desk"], "no"))
    for order, events in placed:
        await _added(units, order, events)
    async with units() as uow:
        owed = await uow.orders.open_orders(customer, besides=placed[0][0].id)
        forecast = await uow.orders.open_for_forecast(Reach(salesperson=customer))
    assert owed == (Money(Decimal("25.00"), "EUR"),)
    assert sorted((o.total, o.order_type, o.stage, o.month) for o in forecast) == [
        (Money(Decimal("12.50"), "EUR"), "standard", "request", date(2026, 12, 15)),
        (Money(Decimal("25.00"), "EUR"), "standard", "request", date(2026, 12, 15)),
    ]


# -- customers ------------------------------------------------------------------------------------


def a_customer(name: str, group: str = "", limit: str | None = "5000") -> CustomerInput:
    return CustomerInput(
        name=name,
        kind="company",
        currency="EUR",
        customer_group=group,
        credit_limit=None if limit is None else MoneyInput(limit, "EUR"),
        contacts=(Contact("Ada", "ada@acme.example"),),
        billing_address=Address("Hauptstr. 1", "Berlin", "DE"),
    )


async def a_customer_comes_back_as_added_and_is_saved_over_its_version(units: Units) -> None:
    customer, _ = open_account(str(uuid.uuid4()), a_customer("Acme"), T0, "sam")
    async with units() as uow:
        await uow.customers.add(customer)
    async with units() as uow:
        found = await uow.customers.get(customer.id, for_update=True)
        assert await uow.customers.exists(customer.id)
        assert not await uow.customers.exists(str(uuid.uuid4()))
        assert await uow.customers.get(str(uuid.uuid4())) is None
    assert found is not None
    assert found.details.credit_limit is not None
    assert str(found.details.credit_limit) == "5000.00 EUR"  # in the currency's decimals
    assert replace(found, details=customer.details) == customer
    renamed = replace(customer.details, name="Acme AG")
    changed, _ = customer.replaced(renamed, T0 + timedelta(hours=1), "fin")
    async with units() as uow:
        assert await uow.customers.save(changed)
        assert not await uow.customers.save(changed)  # over version 2 now, not 1
    async with units() as uow:
        found = await uow.customers.get(customer.id)
    assert found is not None
    assert (found.details.name, found.version, found.updated_by) == ("Acme AG", 2, "fin")


async def customers_are_listed_by_name_and_filtered_literally(units: Units) -> None:
    group = f"g-{_tag()}"
    # ordered alike whether the collation weighs spaces and dashes or not
    names = ["beta works", "alpha ant", "alpha-bee", "gamma 100% ltd", "alphacat"]
    for name in names:
        customer, _ = open_account(str(uuid.uuid4()), a_customer(name, group), T0, "sam")
        async with units() as uow:
            await uow.customers.add(customer)

    async def listed(**wanted: str) -> list[str]:
        found, after = [], None
        while True:
            async with units() as uow:
                page = await uow.customers.page(
                    CustomerFilter(customer_group=group, **wanted), after, 2
                )
            found += [c.details.name for c in page]
            if len(page) < 2:
                return found
            after = (page[-1].details.name, page[-1].id)

    assert await listed() == sorted(names)
    assert await listed(name_prefix="ALPHA") == ["alpha ant", "alpha-bee", "alphacat"]
    assert await listed(name_contains="a_b") == []  # "_" is no wildcard
    assert await listed(name_contains="100%") == ["gamma 100% ltd"]
    assert await listed(name_contains="0%l") == []  # nor is "%"


async def a_later_balance_wins_and_feeds_the_credit_position(units: Units) -> None:
    customer, _ = open_account(str(uuid.uuid4()), a_customer("Owing"), T0, "sam")
    unlimited, _ = open_account(str(uuid.uuid4()), a_customer("Free", limit=None), T0, "sam")
    async with units() as uow:
        await uow.customers.add(customer)
        await uow.customers.add(unlimited)
        await uow.customers.set_balance(customer.id, Money.of("120", "EUR"), T0)
        await uow.customers.set_balance(customer.id, Money.of("99", "USD"), T0)
        await uow.customers.set_balance(customer.id, Money.of("1250.5", "EUR"), T0 + timedelta(1))
        await uow.customers.set_balance(customer.id, Money.of("1", "EUR"), T0)  # older: ignored
    async with units() as uow:
        position = await uow.customers.credit_position(customer.id)
        free = await uow.customers.credit_position(unlimited.id)
        assert await uow.customers.credit_position(str(uuid.uuid4())) is None
    assert position == CreditPosition(
        Money(Decimal("5000.00"), "EUR"),
        (Money(Decimal("1250.50"), "EUR"), Money(Decimal("99.00"), "USD")),
    )
    assert free == CreditPosition(None, ())


# -- pipelines, costs, returns, rates, requests, the unit of work -------------------------------


async def the_built_in_pipeline_serves_until_one_is_stored(units: Units) -> None:
    order_type = f"t-{_tag()}"
    async with units() as uow:
        assert await uow.pipelines.get(order_type) == STANDARD
        assert await uow.pipelines.get("contract") == CONTRACT
    mine = from_definition(order_type, to_definition(CONTRACT))
    async with units() as uow:
        await uow.pipelines.save(mine)
        await uow.pipelines.save(mine)  # replaces
    async with units() as uow:
        assert await uow.pipelines.get(order_type) == mine
        every = await uow.pipelines.all()
    assert (every[order_type], every["standard"]) == (mine, STANDARD)


async def a_cost_from_the_same_source_is_recorded_once(units: Units) -> None:
    order, events = an_order(_tag(), ("p1", 1))
    await _added(units, order, events)
    source = f"shipment:{_tag()}"
    goods = CostIncurred(order.id, "goods", Decimal("7.00"), "1 x SKU-1 at cost", source)
    courier = CostIncurred(order.id, "shipping", Decimal("9.90"), "courier")
    async with units() as uow:
        assert await uow.costs.add(goods) is not None
        assert await uow.costs.add(goods) is None
        assert await uow.costs.add(courier) is not None
        found = await uow.costs.of([order.id, str(uuid.uuid4())])
    assert [(c.kind, c.amount, c.description) for c in found[order.id]] == [
        ("goods", Decimal("7.00"), "1 x SKU-1 at cost"),
        ("shipping", Decimal("9.90"), "courier"),
    ]
    assert list(found) == [order.id]


async def returns_add_up_per_line_and_are_received_once(units: Units) -> None:
    order, events = an_order(_tag(), ("p1", 3))
    await _added(units, order, events)
    line = order.lines[0].id
    first = ReturnRequest(str(uuid.uuid4()), {line: 1}, "damaged")
    second = ReturnRequest(str(uuid.uuid4()), {line: 2}, "wrong colour")
    async with units() as uow:
        await uow.returns.add(order.id, first)
        await uow.returns.add(order.id, second)
    async with units() as uow:
        assert await uow.returns.returned_or_authorised(order.id) == {line: 3}
        assert await uow.returns.returned_or_authorised(str(uuid.uuid4())) == {}
        assert await uow.returns.mark_received(first.id)
        assert not await uow.returns.mark_received(first.id)
        assert not await uow.returns.mark_received(str(uuid.uuid4()))


async def the_latest_rate_applies_and_a_later_statement_wins(units: Units) -> None:
    tag = _tag()[:2].upper()
    home, other, third = f"H{tag}", f"O{tag}", f"T{tag}"
    day = date(2026, 12, 1)
    async with units() as uow:
        await uow.rates.set(ExchangeRate(other, home, Decimal("2"), day), T0)
        await uow.rates.set(ExchangeRate(other, home, Decimal("3"), day), T0 + timedelta(1))
        await uow.rates.set(ExchangeRate(other, home, Decimal("9"), day), T0)  # older statement
        await uow.rates.set(ExchangeRate(other, home, Decimal("4"), day + timedelta(9)), T0)
        await uow.rates.set(ExchangeRate(home, third, Decimal("0.5"), day - timedelta(1)), T0)
    async with units() as uow:
        now = await uow.rates.current(home, day + timedelta(1))
        later = await uow.rates.current(home, day + timedelta(9))
        before = await uow.rates.current(home, day - timedelta(2))
    assert sorted((r.base, r.quote, r.rate) for r in now) == sorted(
        [(other, home, Decimal("3")), (home, third, Decimal("0.5"))]
    )
    assert [(r.rate, r.effective_from) for r in later if r.base == other] == [
        (Decimal("4"), day + timedelta(9))
    ]
    assert before == []


async def billings_hold_is_kept_until_released(units: Units) -> None:
    customer = f"C-{_tag()}"
    async with units() as uow:
        await uow.billing_holds.hold(customer, "INV-1 is 31 days overdue", T0)
        await uow.billing_holds.hold(customer, "INV-1 is 32 days overdue", T0)
    async with units() as uow:
        assert await uow.billing_holds.reason(customer) == "INV-1 is 32 days overdue"
        assert await uow.billing_holds.reason(f"{customer}-other") == ""
        await uow.billing_holds.release(customer)
    async with units() as uow:
        assert await uow.billing_holds.reason(customer) == ""


async def a_request_id_is_claimed_once_and_repeats_its_first_result(units: Units) -> None:
    request_id = _tag()
    async with units() as uow:
        assert await uow.requests.claim("op", request_id, "print-1") is None
        await uow.requests.complete("op", request_id, "result-1")
        assert await uow.requests.claim("op", "", "print-1") is None  # no id: nothing to repeat
        await uow.requests.complete("op", "", "result-x")
    async with units() as uow:
        assert await uow.requests.claim("op", request_id, "print-1") == "result-1"
        assert await uow.requests.claim("other-op", request_id, "print-2") is None
    with pytest.raises(AlreadyExists):
        async with units() as uow:
            await uow.requests.claim("op", request_id, "print-2")


async def a_unit_of_work_that_raises_leaves_nothing_behind(units: Units) -> None:
    order, events = an_order(_tag(), ("p1", 1))

    async def add_then_fail() -> None:
        async with units() as uow:
            await uow.orders.add(order, events)
            raise RuntimeError("refused after writing")

    with pytest.raises(RuntimeError):
        await add_then_fail()
    async with units() as uow:
        assert await uow.orders.get(order.id) is None


# -- stalled saga steps ---------------------------------------------------------------------------


async def stalled_steps_are_kept_once_listed_oldest_first_and_resolved(units: Units) -> None:
    order, events = an_order(_tag(), ("p1", 1), at=T0 - timedelta(hours=1))
    await _added(units, order, events)
    event = StalledEvent(_tag(), "oms.quoting.QuoteAccepted.v1", "t", "k", b"\x00\x01", "q", T0, "")
    never = f"o-{_tag()}"
    steps = [
        StalledStep(event.event_id, never, "q-1", event.event_type, "refused", T0, event),
        StalledStep(f"deadline:{order.id}", order.id, "", AWAITING_STOCK, "late", T0 + SECOND),
    ]
    async with units() as uow:
        for step in steps:
            assert await uow.stalled.add(step)
        assert not await uow.stalled.add(replace(steps[0], reason="again"))
    mine = {never, order.id}
    async with units() as uow:
        assert await uow.stalled.of_order(never) == [steps[0]]
        listed = [s for s in await uow.stalled.page(None, 1000) if s.order_id in mine]
        assert listed == steps
        after = (steps[0].stalled_at, steps[0].id)
        assert [s.id for s in await uow.stalled.page(after, 1000) if s.order_id in mine] == [
            steps[1].id
        ]
        stalled = await uow.orders.page(OrderQuery(status=STALLED), None, 1000)
        assert order.id in [o.id for o in stalled]
        waiting = await uow.stalled.awaiting_stock(T0, 1000)
        assert order.id not in [w[0] for w in waiting]  # stalled for it already
        steps[1].tried("olga", "")
        await uow.stalled.save(steps[1])
    async with units() as uow:
        assert await uow.stalled.open_of(order.id) == []
        (done,) = await uow.stalled.of_order(order.id)
        assert (done.status, done.attempts, done.retried_by) == ("resolved", 1, "olga")
        stalled = await uow.orders.page(OrderQuery(status=STALLED), None, 1000)
        assert order.id not in [o.id for o in stalled]


async def orders_inventory_has_not_answered_are_found_past_the_deadline(units: Units) -> None:
    early, events = an_order(_tag(), ("p1", 1), at=T0 - timedelta(days=400))
    await _added(units, early, events)
    late, events = an_order(_tag(), ("p1", 1), at=T0 + timedelta(days=400))
    await _added(units, late, events)
    async with units() as uow:
        waiting = await uow.stalled.awaiting_stock(T0, 1000)
    assert (early.id, early.quote_id, early.created_at) in waiting
    assert late.id not in [w[0] for w in waiting]


def a_task(tag: str, n: int, assignee: str, due: str, by: str = "creator") -> Task:
    return new_task(
        f"{tag}-{n}",
        subject_type="sales_order" if n % 2 else "quote",
        subject_id=f"subject-{tag}",
        title=f"task {n}",
        notes="",
        assignee=assignee,
        due_date=due,
        by=f"{by}-{tag}",
        at=T0,
    )


async def tasks_come_back_as_saved_and_list_by_due_date_filtered_and_paged(units: Units) -> None:
    tag = _tag()
    me, other = f"me-{tag}", f"other-{tag}"
    first = a_task(tag, 1, me, "2026-12-01")
    second = a_task(tag, 2, other, "2026-12-02", by="me")
    third = a_task(tag, 3, me, "2026-12-03")
    async with units() as uow:
        for task in (third, first, second):
            await uow.tasks.add(task)
    done = changed(first, TaskChange(notes="called", status=DONE), T0 + SECOND)
    async with units() as uow:
        await uow.tasks.save(done)
    async with units() as uow:
        assert await uow.tasks.get(done.id) == done
        mine = await uow.tasks.page(TaskQuery(assignee=me), None, 10)
        assert [t.id for t in mine] == [done.id, third.id]
        open_ones = await uow.tasks.page(
            TaskQuery(subject_id=f"subject-{tag}", status="open"), None, 10
        )
        assert [t.id for t in open_ones] == [second.id, third.id]
        quotes = await uow.tasks.page(
            TaskQuery(subject_type="quote", subject_id=f"subject-{tag}"), None, 10
        )
        assert [t.id for t in quotes] == [second.id]
        early = await uow.tasks.page(
            TaskQuery(subject_id=f"subject-{tag}", due_before=date(2026, 12, 3)), None, 10
        )
        assert [t.id for t in early] == [done.id, second.id]
        seen = await uow.tasks.page(TaskQuery(visible_to=f"me-{tag}"), None, 10)
        assert [t.id for t in seen] == [done.id, second.id, third.id], "assigned or created"
        rest = await uow.tasks.page(
            TaskQuery(subject_id=f"subject-{tag}"), (date(2026, 12, 1), done.id), 1
        )
        assert [t.id for t in rest] == [second.id]


def an_entry(subject: str, event_id: str, at: datetime, kind: str = "X") -> Entry:
    return Entry(subject, event_id, at, "billing", kind, "summary", "ada", "", "c", "")


async def the_activity_journal_keeps_each_entry_once_and_follows_links(units: Units) -> None:
    tag = _tag()
    order, invoice = f"o-{tag}", f"invoice:i-{tag}"
    paid = an_entry(invoice, f"e3-{tag}", T0 + 3 * SECOND)  # read before its invoice's link
    placed = an_entry(order, f"e1-{tag}", T0)
    issued = an_entry(order, f"e2-{tag}", T0 + 2 * SECOND)
    tie = an_entry(order, f"e0-{tag}", T0 + 2 * SECOND)
    async with units() as uow:
        await uow.activity.record([paid], [])
        await uow.activity.record([placed, issued, tie], [Link(invoice, order)])
    async with units() as uow:
        await uow.activity.record([replace(placed, summary="again")], [Link(invoice, "other")])
    async with units() as uow:
        found = await uow.activity.timeline(order)
        assert [e.event_id for e in found] == [
            placed.event_id,
            tie.event_id,
            issued.event_id,
            paid.event_id,
        ]
        assert found[0] == placed, "an entry is kept once, as first recorded"
        assert await uow.activity.timeline(f"other-{tag}") == []


CHECKS: list[Check] = [
    an_order_comes_back_as_it_was_added,
    a_saved_order_keeps_its_changes_and_counts_its_version,
    a_stale_order_is_not_saved,
    the_journal_keeps_the_placing_each_move_then_each_note,
    orders_are_listed_newest_first_filtered_within_reach_with_totals,
    open_orders_and_the_forecast_count_only_orders_not_yet_invoiced,
    a_customer_comes_back_as_added_and_is_saved_over_its_version,
    customers_are_listed_by_name_and_filtered_literally,
    a_later_balance_wins_and_feeds_the_credit_position,
    the_built_in_pipeline_serves_until_one_is_stored,
    a_cost_from_the_same_source_is_recorded_once,
    returns_add_up_per_line_and_are_received_once,
    the_latest_rate_applies_and_a_later_statement_wins,
    billings_hold_is_kept_until_released,
    a_request_id_is_claimed_once_and_repeats_its_first_result,
    a_unit_of_work_that_raises_leaves_nothing_behind,
    stalled_steps_are_kept_once_listed_oldest_first_and_resolved,
    orders_inventory_has_not_answered_are_found_past_the_deadline,
    tasks_come_back_as_saved_and_list_by_due_date_filtered_and_paged,
    the_activity_journal_keeps_each_entry_once_and_follows_links,
]
