"""Customer requests on the real service, database and broker: registered (once per client
request id), listed within each person's reach and by filter, lost with a reason, quoted in one
step, announced on oms.quoting.request.v1, and summed in the lost-demand report."""

from __future__ import annotations

import json

import grpc
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from oms.events.v1 import quoting_pb2 as events
from oms.quoting.v1 import quoting_pb2 as pb
from oms.types.v1.types_pb2 import Money
from services.quoting.tests.integration.conftest import Catalog, Quoting, refusal
from testkit.services import EventLog, as_user

SAM = as_user("sam", "sales", team="north")
KIM = as_user("kim", "sales", team="north")
NORTH_MANAGER = as_user("nina", "sales-manager", team="north")
DESK = as_user("olga", "order-desk")
FINANCE = as_user("fred", "finance")
DENIED = grpc.StatusCode.PERMISSION_DENIED


def registration(
    amount: str = "1200.00", currency: str = "EUR", **fields: str
) -> pb.RegisterRequestRequest:
    wanted: dict[str, str] = {"source": "phone", "need": "200 widgets", "customer_id": "C-1"}
    return pb.RegisterRequestRequest(
        contact=pb.Contact(name="Ada", email="ada@example.com"),
        value_estimate=Money(amount=amount, currency=currency),
        **(wanted | fields),  # type: ignore[arg-type]
    )


async def register(quoting: Quoting, who: object = SAM, **fields: str) -> pb.CustomerRequest:
    reply = await quoting.stub.RegisterRequest(registration(**fields), metadata=who)
    return reply.request


async def test_a_request_is_registered_numbered_and_logged(quoting: Quoting) -> None:
    first = await register(quoting)
    second = await register(quoting, customer_id="")
    year = first.created_at.ToDatetime().year
    assert (first.number, second.number) == (f"REQ-{year}-000001", f"REQ-{year}-000002")
    assert (first.status, first.owner, first.team, first.created_by) == (
        "open",
        "sam",
        "north",
        "sam",
    )
    assert (first.value_estimate.amount, first.value_estimate.currency) == ("1200.00", "EUR")
    assert (first.contact.name, second.customer_id, first.HasField("closed_at")) == (
        "Ada",
        "",
        False,
    )
    read = await quoting.stub.GetRequest(pb.GetRequestRequest(request_id=first.id), metadata=SAM)
    assert read.request == first
    (registered,) = await quoting.entries("customer_request", first.id)
    assert (registered.action, registered.actor) == ("registered", "sam")
    assert json.loads(registered.after_json)["value_estimate"] == "1200.00"


async def test_a_retried_registration_registers_one_request(quoting: Quoting) -> None:
    stub = quoting.stub
    once = registration(request_id="retry-1")
    first = (await stub.RegisterRequest(once, metadata=SAM)).request
    again = (await stub.RegisterRequest(once, metadata=SAM)).request
    assert again.id == first.id
    listed = await stub.ListRequests(pb.ListRequestsRequest(), metadata=SAM)
    assert [r.id for r in listed.requests] == [first.id]
    other = registration(request_id="retry-1", need="something else")
    assert await refusal(stub.RegisterRequest(other, metadata=SAM)) == (
        grpc.StatusCode.ALREADY_EXISTS,
        ["request_id"],
    )


async def test_bad_registrations_name_their_fields(quoting: Quoting) -> None:
    wrong = registration(amount="-5", currency="EUR", source="fax", need="")
    assert await refusal(quoting.stub.RegisterRequest(wrong, metadata=SAM)) == (
        grpc.StatusCode.INVALID_ARGUMENT,
        ["source", "need", "value_estimate.amount"],
    )


async def test_owners_and_reach(quoting: Quoting) -> None:
    stub = quoting.stub
    sams = await register(quoting)
    kims = await register(quoting, KIM, source="email")
    for_sam = await register(quoting, DESK, owner="sam", source="web")
    assert (for_sam.owner, for_sam.created_by) == ("sam", "olga")
    naming = stub.RegisterRequest(registration(owner="kim"), metadata=SAM)
    assert await refusal(naming) == (DENIED, ["owner"])
    for role in ("warehouse", "purchasing", "finance"):
        call = stub.RegisterRequest(registration(), metadata=as_user("x", role))
        assert (await refusal(call))[0] == DENIED, role

    async def ids(who: object, **filters: str) -> list[str]:
        reply = await stub.ListRequests(pb.ListRequestsRequest(**filters), metadata=who)  # type: ignore[arg-type]
        return [r.id for r in reply.requests]

    assert await ids(SAM) == [for_sam.id, sams.id]  # newest first; not kim's
    assert await ids(KIM) == [kims.id]
    assert await ids(NORTH_MANAGER) == [kims.id, sams.id]  # the team's; the desk's has none
    assert await ids(DESK) == [for_sam.id, kims.id, sams.id]
    assert await ids(DESK, owner="sam", source="web") == [for_sam.id]
    assert await ids(DESK, customer_id="nobody") == []
    assert await ids(DESK, status="open", created_from="2000-01-01") == [
        for_sam.id,
        kims.id,
        sams.id,
    ]
    assert await ids(DESK, created_to="2000-01-01") == []
    page = await stub.ListRequests(pb.ListRequestsRequest(page_size=2), metadata=DESK)
    rest = await stub.ListRequests(
        pb.ListRequestsRequest(page_size=2, page_token=page.next_page_token), metadata=DESK
    )
    assert [r.id for r in [*page.requests, *rest.requests]] == [for_sam.id, kims.id, sams.id]
    bad = stub.ListRequests(pb.ListRequestsRequest(status="won", created_from="x"), metadata=SAM)
    assert await refusal(bad) == (grpc.StatusCode.INVALID_ARGUMENT, ["status", "created_from"])
    peek = stub.GetRequest(pb.GetRequestRequest(request_id=kims.id), metadata=SAM)
    assert (await refusal(peek))[0] == DENIED
    lose = stub.MarkRequestLost(
        pb.MarkRequestLostRequest(request_id=kims.id, reason="price"), metadata=SAM
    )
    assert (await refusal(lose))[0] == DENIED
    desk_loses = stub.MarkRequestLost(
        pb.MarkRequestLostRequest(request_id=kims.id, reason="price"), metadata=DESK
    )
    assert (await refusal(desk_loses))[0] == DENIED  # the desk registers and reads only


async def test_a_lost_request_keeps_its_reason_and_is_closed(quoting: Quoting) -> None:
    stub = quoting.stub
    request = await register(quoting)
    unknown = pb.MarkRequestLostRequest(request_id=request.id, reason="weather")
    assert await refusal(stub.MarkRequestLost(unknown, metadata=SAM)) == (
        grpc.StatusCode.INVALID_ARGUMENT,
        ["reason"],
    )
    lost = (
        await stub.MarkRequestLost(
            pb.MarkRequestLostRequest(request_id=request.id, reason="competitor", note="ACME"),
            metadata=NORTH_MANAGER,
        )
    ).request
    assert (lost.status, lost.lost_reason, lost.lost_note, lost.HasField("closed_at")) == (
        "lost",
        "competitor",
        "ACME",
        True,
    )
    again = pb.MarkRequestLostRequest(request_id=request.id, reason="price")
    assert await refusal(stub.MarkRequestLost(again, metadata=SAM)) == (
        grpc.StatusCode.FAILED_PRECONDITION,
        ["status"],
    )
    _, change = await quoting.entries("customer_request", request.id)
    assert (change.action, change.actor) == ("lost", "nina")
    assert json.loads(change.after_json) == {
        "status": "lost",
        "lost_reason": "competitor",
        "lost_note": "ACME",
    }


async def test_a_request_is_quoted_in_one_step_once(
    quoting: Quoting, products: Catalog, kafka_bootstrap: str
) -> None:
    stub = quoting.stub
    kinds = [events.RequestRegistered, events.RequestQuoted]
    async with EventLog(kafka_bootstrap, kinds, quoting.ns) as log:
        request = await register(quoting, customer_id="C-7")
        content = pb.QuoteContent(
            currency="EUR",
            groups=[
                pb.GroupInput(name="Main", lines=[pb.LineInput(sku=products.widget, quantity=3)])
            ],
        )
        quoting_it = pb.QuoteRequestRequest(request_id=request.id, content=content)
        reply = await stub.QuoteRequest(quoting_it, metadata=NORTH_MANAGER)
        found = await log.wait_for(request.id, count=2)
    quote, quoted = reply.quote, reply.request
    assert (quote.status, quote.customer_id, quote.salesperson, quote.total.amount) == (
        "draft",
        "C-7",
        "sam",  # the request's owner, though the manager made it
        "30.00",
    )
    assert (quoted.status, quoted.quote_id, quoted.HasField("closed_at")) == (
        "quoted",
        quote.id,
        True,
    )
    stored = await stub.GetQuote(pb.GetQuoteRequest(quote_id=quote.id), metadata=SAM)
    assert stored.quote.number == quote.number
    assert [type(m).__name__ for _, m in found] == ["RequestRegistered", "RequestQuoted"]
    assert found[1][1] == events.RequestQuoted(request_id=request.id, quote_id=quote.id)
    assert found[1][0].actor.subject == "nina"
    twice = stub.QuoteRequest(quoting_it, metadata=SAM)
    assert await refusal(twice) == (grpc.StatusCode.FAILED_PRECONDITION, ["status"])
    listed = await stub.ListQuotes(pb.ListQuotesRequest(), metadata=SAM)
    assert [q.id for q in listed.quotes] == [quote.id]  # the refused attempt made none
    _, change = await quoting.entries("customer_request", request.id)
    assert json.loads(change.after_json) == {"status": "quoted", "quote_id": quote.id}


async def test_a_prospects_request_needs_a_customer_to_be_quoted(
    quoting: Quoting, products: Catalog
) -> None:
    request = await register(quoting, customer_id="")
    line = pb.LineInput(sku=products.widget, quantity=1)
    content = pb.QuoteContent(currency="EUR", groups=[pb.GroupInput(name="A", lines=[line])])
    call = quoting.stub.QuoteRequest(
        pb.QuoteRequestRequest(request_id=request.id, content=content), metadata=SAM
    )
    assert await refusal(call) == (grpc.StatusCode.INVALID_ARGUMENT, ["customer_id"])
    content.customer_id = "C-9"
    reply = await quoting.stub.QuoteRequest(
        pb.QuoteRequestRequest(request_id=request.id, content=content), metadata=SAM
    )
    assert (reply.quote.customer_id, reply.request.status) == ("C-9", "quoted")


async def test_the_lost_demand_report_sums_by_reason_and_period(quoting: Quoting) -> None:
    stub = quoting.stub

    async def lose(reason: str, amount: str, currency: str = "EUR", who: object = SAM) -> str:
        request = await register(quoting, who, amount=amount, currency=currency)
        await stub.MarkRequestLost(
            pb.MarkRequestLostRequest(request_id=request.id, reason=reason), metadata=who
        )
        return request.id

    october = await lose("price", "100.00")
    await lose("price", "50.50")
    await lose("price", "10", "USD")
    await lose("timing", "70")
    await lose("price", "999", who=KIM)
    await register(quoting)  # open: not lost demand
    engine = create_async_engine(quoting.url)
    async with engine.begin() as connection:
        await connection.execute(
            text("UPDATE customer_requests SET closed_at = '2026-10-15T12:00:00Z' WHERE id = :id"),
            {"id": october},
        )
        await connection.execute(
            text(
                "UPDATE customer_requests SET closed_at = '2026-11-20T12:00:00Z' "
                "WHERE status = 'lost' AND id <> :id"
            ),
            {"id": october},
        )
    await engine.dispose()

    def rows(report: pb.LostDemandReportResponse) -> list[tuple[str, str, int, list[str]]]:
        return [
            (r.period, r.reason, r.requests, [f"{m.amount} {m.currency}" for m in r.value])
            for r in report.rows
        ]

    asked = pb.LostDemandReportRequest(from_date="2026-10-01", to_date="2026-11-30")
    monthly = await stub.LostDemandReport(asked, metadata=FINANCE)
    assert rows(monthly) == [
        ("2026-10", "price", 1, ["100.00 EUR"]),
        ("2026-11", "price", 3, ["1049.50 EUR", "10.00 USD"]),
        ("2026-11", "timing", 1, ["70.00 EUR"]),
    ]
    assert [(t.reason, t.requests, [m.amount for m in t.value]) for t in monthly.totals] == [
        ("price", 4, ["1149.50", "10.00"]),
        ("timing", 1, ["70.00"]),
    ]
    asked.period = "quarter"
    sams = await stub.LostDemandReport(asked, metadata=SAM)  # within sam's reach: not kim's
    assert rows(sams) == [
        ("2026-Q4", "price", 3, ["150.50 EUR", "10.00 USD"]),
        ("2026-Q4", "timing", 1, ["70.00 EUR"]),
    ]
    november = pb.LostDemandReportRequest(from_date="2026-11-01", to_date="2026-11-30")
    assert [r.period for r in (await stub.LostDemandReport(november, metadata=DESK)).rows] == [
        "2026-11",
        "2026-11",
    ]
    backwards = pb.LostDemandReportRequest(from_date="2026-11-01", to_date="2026-10-01")
    assert await refusal(stub.LostDemandReport(backwards, metadata=FINANCE)) == (
        grpc.StatusCode.INVALID_ARGUMENT,
        ["to_date"],
    )
    warehouse = stub.LostDemandReport(november, metadata=as_user("w", "warehouse"))
    assert (await refusal(warehouse))[0] == DENIED
