"""What every repository of quoting must do, run against the in-memory fakes (unit tests) and
PostgreSQL (integration tests), so the fakes cannot drift from the real thing. Each check takes
a unit-of-work factory on an empty store."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from quoting.application.ports import QuoteFilter, RequestFilter, UnitOfWorkFactory
from quoting.domain.approval import Approval, ApprovalStatus
from quoting.domain.customer import Customer
from quoting.domain.lost_demand import MonthlyLoss
from quoting.domain.model import Status
from quoting.domain.request import Contact
from quoting.domain.template import Template
from servicekit.sales_reach import EVERYTHING, Reach
from services.quoting.tests.builders import (
    NOW,
    TODAY,
    a_quote,
    a_request,
    a_rich_quote,
    rich_content,
)

Check = Callable[[UnitOfWorkFactory], Awaitable[None]]


def _id() -> str:
    return str(uuid.uuid4())


async def a_quote_comes_back_as_stored(uow: UnitOfWorkFactory) -> None:
    quote = replace(a_rich_quote(_id()), number="Q-2026-000042")
    async with uow() as work:
        await work.quotes.add(quote)
    async with uow() as work:
        assert await work.quotes.get(quote.id) == quote
        assert await work.quotes.get(quote.id, for_update=True) == quote
        assert await work.quotes.get(_id()) is None


async def a_revision_is_a_new_version_and_the_earlier_one_stays(uow: UnitOfWorkFactory) -> None:
    first = a_rich_quote(_id())
    async with uow() as work:
        await work.quotes.add(first)
    revised = a_quote(Status.SENT, quote_id=first.id, created_by="sam", team="north")
    revised.revise(revised.content, revised.document)
    revised = replace(revised, updated_at=NOW + timedelta(hours=1), created_by="x", team="y")
    async with uow() as work:
        await work.quotes.save(revised, "nina")
    async with uow() as work:
        latest = await work.quotes.get(first.id)
        earlier = await work.quotes.get(first.id, 1)
        assert await work.quotes.get(first.id, 3) is None
    # who made it, when and in which team stay as they were added
    assert latest == replace(revised, created_by="sam", team="north")
    assert earlier == replace(latest, version=1, content=first.content, document=first.document)


async def quotes_are_listed_newest_first_filtered_and_within_reach(
    uow: UnitOfWorkFactory,
) -> None:
    customer = _id()  # this check's quotes only
    made = [
        a_quote(quote_id=_id(), salesperson="sam", team="north", customer_id=customer),
        a_quote(Status.SENT, quote_id=_id(), salesperson="kim", team="north", customer_id=customer),
        a_quote(quote_id=_id(), salesperson="sol", team="south", customer_id=customer),
        a_quote(Status.SENT, quote_id=_id(), salesperson="sam", team="", customer_id=customer),
    ]
    made = [replace(q, created_at=NOW + timedelta(minutes=i)) for i, q in enumerate(made)]
    async with uow() as work:
        for quote in made:
            await work.quotes.add(quote)

    async def ids(
        reach: Reach, after: tuple[object, str] | None = None, **wanted: str
    ) -> list[str]:
        query = QuoteFilter(customer_id=customer, **wanted)
        async with uow() as work:
            found = await work.quotes.page(reach, query, after, 10)  # type: ignore[arg-type]
        return [q.id for q in found]

    newest_first = [q.id for q in reversed(made)]
    assert await ids(EVERYTHING) == newest_first
    assert await ids(EVERYTHING, status="sent") == [made[3].id, made[1].id]
    assert await ids(EVERYTHING, salesperson="sam") == [made[3].id, made[0].id]
    assert await ids(Reach(salesperson="kim")) == [made[1].id]
    assert await ids(Reach(salesperson="nina", team="north")) == [made[1].id, made[0].id]
    assert await ids(Reach(salesperson="sol", team="south")) == [made[2].id]
    after = (made[2].created_at, made[2].id)
    assert await ids(EVERYTHING, after) == [made[1].id, made[0].id]
    async with uow() as work:
        (first,) = await work.quotes.page(EVERYTHING, QuoteFilter(customer_id=customer), None, 1)
    assert first == made[3]


async def open_quotes_past_their_validity_are_due(uow: UnitOfWorkFactory) -> None:
    yesterday = (TODAY - timedelta(days=1)).isoformat()
    due = [
        a_quote(Status.DRAFT, yesterday, _id()),
        a_quote(Status.SENT, yesterday, _id()),
    ]
    not_due = [
        a_quote(Status.ACCEPTED, yesterday, _id()),
        a_quote(Status.EXPIRED, yesterday, _id()),
        a_quote(Status.SENT, TODAY.isoformat(), _id()),
    ]
    async with uow() as work:
        for quote in due + not_due:
            await work.quotes.add(quote)
    async with uow() as work:
        found = await work.quotes.open_past_validity(TODAY, 100)
        assert len(await work.quotes.open_past_validity(TODAY, 1)) == 1
    assert set(found) == {q.id for q in due}


async def templates_come_back_as_stored_by_name_a_page_at_a_time(uow: UnitOfWorkFactory) -> None:
    groups = rich_content().groups
    made = [
        Template(_id(), name, groups[: i + 1], NOW + timedelta(seconds=i), "sam")
        for i, name in enumerate(["Zebra", "Alpha", "Alpha"])
    ]
    async with uow() as work:
        for template in made:
            await work.templates.add(template)
    async with uow() as work:
        assert await work.templates.get(made[0].id) == made[0]
        assert await work.templates.get(_id()) is None
        first = await work.templates.page(None, 2)
        rest = await work.templates.page((first[-1].name, first[-1].id), 10)
    alphas = sorted(made[1:], key=lambda t: t.id)
    assert first == alphas
    assert rest == [made[0]]


async def quote_numbers_follow_each_other_per_year(uow: UnitOfWorkFactory) -> None:
    async with uow() as work:
        first = await work.quotes.next_number(2091)
        second = await work.quotes.next_number(2091)
        other_year = await work.quotes.next_number(2092)
    async with uow() as work:
        third = await work.quotes.next_number(2091)
    assert (second, third) == (first + 1, first + 2)
    assert other_year >= 1


async def a_customer_copy_is_kept_and_replaced(uow: UnitOfWorkFactory) -> None:
    account = Customer(
        _id(), "Bolt & Co", "wholesale", "EUR", "14 days net", ("Żółta 5", "Łódź"), "PL"
    )
    changed = replace(
        account, name="Bolt and Co", payment_terms="30 days net", tax_exemption="export"
    )
    async with uow() as work:
        await work.customers.put(account)
    async with uow() as work:
        assert await work.customers.get(account.customer_id) == account
        await work.customers.put(changed)
    async with uow() as work:
        assert await work.customers.get(account.customer_id) == changed
        assert await work.customers.get(_id()) is None


async def a_unit_of_work_that_fails_keeps_nothing(uow: UnitOfWorkFactory) -> None:
    quote = a_quote(quote_id=_id())
    account = Customer(_id(), "Gone", "", "EUR", "")
    try:
        async with uow() as work:
            await work.quotes.add(quote)
            await work.customers.put(account)
            raise RuntimeError("the use case fails")
    except RuntimeError:
        pass
    async with uow() as work:
        assert await work.quotes.get(quote.id) is None
        assert await work.customers.get(account.customer_id) is None


async def a_quote_keeps_its_approval_and_is_listed_by_it(uow: UnitOfWorkFactory) -> None:
    customer = _id()
    pending = Approval(ApprovalStatus.PENDING, "line 1: 35% off is above the 20% ...")
    decided = Approval(ApprovalStatus.REJECTED, pending.reason, "nina", NOW, "too much")
    made = [
        a_quote(quote_id=_id(), customer_id=customer, approval=pending),
        a_quote(quote_id=_id(), customer_id=customer, approval=decided),
        a_quote(quote_id=_id(), customer_id=customer),
    ]
    async with uow() as work:
        for quote in made:
            await work.quotes.add(quote)
    approved = replace(made[0], approval=replace(pending, status=ApprovalStatus.APPROVED))
    async with uow() as work:
        await work.quotes.save(approved, "nina")
    async with uow() as work:
        assert await work.quotes.get(made[1].id) == made[1]
        assert await work.quotes.get(made[0].id) == approved

        async def ids(approval: str) -> set[str]:
            wanted = QuoteFilter(customer_id=customer, approval=approval)
            return {q.id for q in await work.quotes.page(EVERYTHING, wanted, None, 10)}

        assert await ids("rejected") == {made[1].id}
        assert await ids("approved") == {made[0].id}
        assert await ids("not_required") == {made[2].id}
        assert await ids("pending") == set()


async def a_request_comes_back_as_stored_and_closed(uow: UnitOfWorkFactory) -> None:
    request = a_request(_id(), value_amount="1200.50")
    prospect = a_request(_id(), customer_id="", contact=Contact())
    async with uow() as work:
        await work.customer_requests.add(request)
        await work.customer_requests.add(prospect)
    async with uow() as work:
        assert await work.customer_requests.get(request.id) == request
        assert await work.customer_requests.get(prospect.id, for_update=True) == prospect
        assert await work.customer_requests.get(_id()) is None
    request.lose("competitor", "ACME", NOW + timedelta(days=1))
    prospect.quote(_id(), NOW + timedelta(days=2))
    async with uow() as work:
        await work.customer_requests.save(request)
        await work.customer_requests.save(prospect)
    async with uow() as work:
        assert await work.customer_requests.get(request.id) == request
        assert await work.customer_requests.get(prospect.id) == prospect


async def requests_are_listed_newest_first_filtered_and_within_reach(
    uow: UnitOfWorkFactory,
) -> None:
    customer = _id()  # this check's requests only
    made = [
        a_request(_id(), "sam", "north", NOW, customer_id=customer),
        a_request(_id(), "kim", "north", NOW + timedelta(days=1), customer_id=customer),
        a_request(_id(), "sol", "south", NOW + timedelta(days=2), customer_id=customer),
        a_request(
            _id(), "sam", "north", NOW + timedelta(days=3), customer_id=customer, source="web"
        ),
    ]
    made[1].lose("price", "", NOW)
    async with uow() as work:
        for request in made:
            await work.customer_requests.add(request)
        await work.customer_requests.save(made[1])

    async def ids(reach: Reach, after: object = None, **wanted: object) -> list[str]:
        query = RequestFilter(customer_id=customer, **wanted)  # type: ignore[arg-type]
        async with uow() as work:
            found = await work.customer_requests.page(reach, query, after, 10)  # type: ignore[arg-type]
        return [r.id for r in found]

    newest_first = [r.id for r in reversed(made)]
    assert await ids(EVERYTHING) == newest_first
    assert await ids(EVERYTHING, status="lost") == [made[1].id]
    assert await ids(EVERYTHING, owner="sam") == [made[3].id, made[0].id]
    assert await ids(EVERYTHING, source="web") == [made[3].id]
    day = NOW.date()
    assert await ids(EVERYTHING, created_from=day + timedelta(days=1)) == newest_first[:3]
    assert await ids(EVERYTHING, created_to=day + timedelta(days=1)) == newest_first[2:]
    assert await ids(Reach(salesperson="kim")) == [made[1].id]
    assert await ids(Reach(salesperson="nina", team="north")) == [
        made[3].id,
        made[1].id,
        made[0].id,
    ]
    assert await ids(Reach(salesperson="sol", team="south")) == [made[2].id]
    after = (made[2].created_at, made[2].id)
    assert await ids(EVERYTHING, after) == [made[1].id, made[0].id]


async def lost_requests_are_summed_per_month_reason_and_currency(uow: UnitOfWorkFactory) -> None:
    october, november = datetime(2026, 10, 31, 23, 0, tzinfo=UTC), NOW
    lost = [
        (a_request(_id(), value_amount="100"), "price", october),
        (a_request(_id(), value_amount="50.5"), "price", november),
        (a_request(_id(), value_amount="7"), "price", november),
        (a_request(_id(), value_amount="10", value_currency="USD"), "price", november),
        (a_request(_id(), "sol", "south", value_amount="70"), "timing", november),
        (a_request(_id(), value_amount="1"), "price", datetime(2026, 12, 1, tzinfo=UTC)),
    ]
    still_open = a_request(_id())
    async with uow() as work:
        await work.customer_requests.add(still_open)
        for request, reason, at in lost:
            await work.customer_requests.add(request)
            request.lose(reason, "", at)
            await work.customer_requests.save(request)

    async def losses(reach: Reach) -> list[MonthlyLoss]:
        async with uow() as work:
            found = await work.customer_requests.losses(
                reach, date(2026, 10, 1), date(2026, 11, 30)
            )
        normal = [replace(x, value=x.value.normalize()) for x in found]
        return sorted(normal, key=lambda x: (x.month, x.reason, x.currency))

    assert await losses(EVERYTHING) == [
        MonthlyLoss(date(2026, 10, 1), "price", "EUR", 1, Decimal("100")),
        MonthlyLoss(date(2026, 11, 1), "price", "EUR", 2, Decimal("57.5")),
        MonthlyLoss(date(2026, 11, 1), "price", "USD", 1, Decimal("10")),
        MonthlyLoss(date(2026, 11, 1), "timing", "EUR", 1, Decimal("70")),
    ]
    assert [x.reason for x in await losses(Reach(salesperson="sol"))] == ["timing"]


async def request_numbers_follow_each_other_per_year(uow: UnitOfWorkFactory) -> None:
    async with uow() as work:
        taken = [await work.customer_requests.next_number(2026) for _ in range(3)]
        other = await work.customer_requests.next_number(2027)
    assert (taken, other) == ([1, 2, 3], 1)


CHECKS: list[Check] = [
    a_quote_keeps_its_approval_and_is_listed_by_it,
    a_quote_comes_back_as_stored,
    a_revision_is_a_new_version_and_the_earlier_one_stays,
    quotes_are_listed_newest_first_filtered_and_within_reach,
    open_quotes_past_their_validity_are_due,
    templates_come_back_as_stored_by_name_a_page_at_a_time,
    a_customer_copy_is_kept_and_replaced,
    a_unit_of_work_that_fails_keeps_nothing,
    quote_numbers_follow_each_other_per_year,
    a_request_comes_back_as_stored_and_closed,
    requests_are_listed_newest_first_filtered_and_within_reach,
    lost_requests_are_summed_per_month_reason_and_currency,
    request_numbers_follow_each_other_per_year,
]
