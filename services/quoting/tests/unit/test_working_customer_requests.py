"""Customer requests' use cases on fakes: registered in whose name and once per client request
id, worked within reach, quoted in one transaction with the quote, and the report's reach."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from quoting.application.commands.mark_request_lost import MarkRequestLost, mark_request_lost
from quoting.application.commands.quote_request import QuoteRequest, quote_request
from quoting.application.commands.register_request import RegisterRequest, register_request
from quoting.application.ports import Ports
from quoting.application.queries.get_request import get_request
from quoting.application.queries.list_requests import ListRequests, list_requests
from quoting.application.queries.lost_demand_report import LostDemandReport, lost_demand_report
from quoting.domain.content import LineInput
from quoting.domain.events import QuoteCreated, RequestLost, RequestQuoted, RequestRegistered
from quoting.domain.request import Contact, RequestInput, RequestStatus
from servicekit.context import acting
from servicekit.errors import (
    AlreadyExists,
    FailedPrecondition,
    InvalidArgument,
    NotFound,
    PermissionDenied,
)
from services.quoting.tests.builders import NOW, content
from services.quoting.tests.unit.conftest import KIM, NINA, ODETTE, SAM, SOL
from services.quoting.tests.unit.fakes import FakeCatalog, Store

GIVEN = RequestInput("phone", "200 widgets", "1200.00", "EUR", "C-1", Contact("Ada"))
WIDGETS = content(LineInput(sku="W-1", quantity=3), customer_id="", salesperson="")


async def test_a_request_is_registered_numbered_announced_and_logged(
    ports: Ports, store: Store
) -> None:
    with acting(SAM):
        first = await register_request(ports, RegisterRequest(GIVEN))
        second = await register_request(ports, RegisterRequest(GIVEN))
    assert (first.number, second.number) == ("REQ-2026-000001", "REQ-2026-000002")
    assert (first.owner, first.team, first.created_by, first.created_at) == (
        "sam",
        "north",
        "sam",
        NOW,
    )
    assert store.requests[first.id] == first
    assert store.published[0] == RequestRegistered(
        first.id, first.number, "phone", "C-1", "sam", "north", first.value_estimate
    )
    entry = store.audit[0]
    assert (entry.entity_type, entry.action, entry.actor) == (
        "customer_request",
        "registered",
        "sam",
    )


async def test_assigners_name_the_owner_a_salesperson_only_themselves(ports: Ports) -> None:
    with acting(ODETTE):
        assert (await register_request(ports, RegisterRequest(GIVEN, owner="sam"))).owner == "sam"
        assert (await register_request(ports, RegisterRequest(GIVEN))).owner == "odette"
    with acting(NINA):
        assert (await register_request(ports, RegisterRequest(GIVEN, owner="kim"))).owner == "kim"
    with acting(SAM), pytest.raises(PermissionDenied) as refused:
        await register_request(ports, RegisterRequest(GIVEN, owner="kim"))
    assert [v.field for v in refused.value.violations] == ["owner"]


async def test_a_retry_answers_the_first_request(ports: Ports, store: Store) -> None:
    command = RegisterRequest(GIVEN, request_id="k-1", fingerprint="f-1")
    with acting(SAM):
        first = await register_request(ports, command)
        again = await register_request(ports, command)
        with pytest.raises(AlreadyExists):
            await register_request(ports, replace(command, fingerprint="f-2"))
    assert (again, list(store.requests)) == (first, [first.id])
    assert len(store.published) == 1


async def test_a_refused_registration_keeps_nothing(ports: Ports, store: Store) -> None:
    command = RegisterRequest(replace(GIVEN, source="fax"), request_id="k-2", fingerprint="f")
    with acting(SAM), pytest.raises(InvalidArgument):
        await register_request(ports, command)
    assert (store.requests, store.processed, store.request_numbers) == ({}, {}, {})


async def test_requests_are_worked_within_reach(ports: Ports, store: Store) -> None:
    with acting(SAM):
        sams = await register_request(ports, RegisterRequest(GIVEN))
    with acting(KIM):
        with pytest.raises(PermissionDenied):
            await get_request(ports, sams.id)
        with pytest.raises(PermissionDenied):
            await mark_request_lost(ports, MarkRequestLost(sams.id, "price"))
        assert (await list_requests(ports, ListRequests()))[0] == []
    with acting(SOL), pytest.raises(PermissionDenied):
        await get_request(ports, sams.id)
    with acting(NINA):
        lost = await mark_request_lost(ports, MarkRequestLost(sams.id, "no_budget", "next year"))
        assert [r.id for r in (await list_requests(ports, ListRequests()))[0]] == [sams.id]
    with acting(ODETTE):
        assert (await get_request(ports, sams.id)).status is RequestStatus.LOST
        with pytest.raises(NotFound):
            await get_request(ports, "nope")
    assert store.published[-1] == RequestLost(
        sams.id, "no_budget", "next year", lost.value_estimate
    )
    assert (store.audit[-1].action, store.audit[-1].actor, store.audit[-1].after) == (
        "lost",
        "nina",
        {"status": "lost", "lost_reason": "no_budget", "lost_note": "next year"},
    )


async def test_list_filters_are_checked(ports: Ports) -> None:
    wrong = ListRequests(status="won", source="fax", created_from="2026-12-02", created_to="x")
    with acting(SAM), pytest.raises(InvalidArgument) as refused:
        await list_requests(ports, wrong)
    assert [v.field for v in refused.value.violations] == ["status", "source", "created_to"]
    backwards = ListRequests(created_from="2026-12-02", created_to="2026-12-01")
    with acting(SAM), pytest.raises(InvalidArgument) as refused:
        await list_requests(ports, backwards)
    assert [v.field for v in refused.value.violations] == ["created_to"]


async def test_quoting_a_request_makes_the_quote_for_its_customer_and_owner(
    ports: Ports, store: Store
) -> None:
    with acting(SAM):
        request = await register_request(ports, RegisterRequest(GIVEN))
    with acting(NINA):
        quote, quoted = await quote_request(ports, QuoteRequest(request.id, WIDGETS))
    assert (quote.content.customer_id, quote.salesperson, quote.created_by) == (
        "C-1",
        "sam",
        "nina",
    )
    assert (quoted.status, quoted.quote_id, quoted.closed_at) == (
        RequestStatus.QUOTED,
        quote.id,
        quote.created_at,
    )
    assert store.requests[request.id] == quoted
    assert store.quotes[quote.id].head.number == "Q-2026-000001"
    assert store.published[-2:] == [
        QuoteCreated(quote.id, "C-1", "sam", quote.total),
        RequestQuoted(request.id, quote.id),
    ]
    with acting(SAM), pytest.raises(FailedPrecondition):
        await quote_request(ports, QuoteRequest(request.id, WIDGETS))
    assert len(store.quotes) == 1


async def test_a_prospects_request_is_quoted_for_the_customer_named(ports: Ports) -> None:
    with acting(SAM):
        request = await register_request(ports, RegisterRequest(replace(GIVEN, customer_id="")))
        with pytest.raises(InvalidArgument) as refused:
            await quote_request(ports, QuoteRequest(request.id, WIDGETS))
        assert [v.field for v in refused.value.violations] == ["customer_id"]
        quote, _ = await quote_request(
            ports, QuoteRequest(request.id, replace(WIDGETS, customer_id="C-9"))
        )
    assert quote.content.customer_id == "C-9"


async def test_a_quote_that_cannot_be_priced_leaves_the_request_open(
    ports: Ports, store: Store, catalog: FakeCatalog
) -> None:
    with acting(SAM):
        request = await register_request(ports, RegisterRequest(GIVEN))
        unknown = content(LineInput(sku="NOPE", quantity=1), customer_id="", salesperson="")
        with pytest.raises(InvalidArgument):
            await quote_request(ports, QuoteRequest(request.id, unknown))
    assert (store.requests[request.id].status, store.quotes) == (RequestStatus.OPEN, {})


async def test_a_request_lost_meanwhile_is_not_quoted(ports: Ports, store: Store) -> None:
    """Lost between the first read and the transaction: the lock's second look refuses it."""
    with acting(SAM):
        request = await register_request(ports, RegisterRequest(GIVEN))
    original = store.requests[request.id]
    calls = 0
    real_items = ports.catalog.items

    async def losing_first(skus: set[str], ids: set[str]) -> object:
        nonlocal calls
        calls += 1
        original.lose("timing", "", NOW)  # another salesperson's loss while pricing
        return await real_items(skus, ids)

    ports.catalog.items = losing_first  # type: ignore[method-assign]
    with acting(SAM), pytest.raises(FailedPrecondition):
        await quote_request(ports, QuoteRequest(request.id, WIDGETS))
    assert (calls, store.quotes) == (1, {})


async def test_the_report_covers_the_callers_reach(ports: Ports, store: Store) -> None:
    for who, amount in ((SAM, "100"), (KIM, "50"), (SOL, "7")):
        with acting(who):
            request = await register_request(
                ports, RegisterRequest(replace(GIVEN, value_amount=amount))
            )
            await mark_request_lost(ports, MarkRequestLost(request.id, "price"))
    day = (NOW + timedelta(days=1)).date().isoformat()
    query = LostDemandReport("2026-11-01", day, "quarter")

    async def total(who: object) -> tuple[int, str]:
        with acting(who):  # type: ignore[arg-type]
            (row,) = (await lost_demand_report(ports, query)).totals
        return row.requests, str(row.value[0].amount)

    assert await total(SAM) == (1, "100.00")
    assert await total(NINA) == (2, "150.00")
    assert await total(ODETTE) == (3, "157.00")
