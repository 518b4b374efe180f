"""Large discounts wait for a sales manager's approval, on the real service, database and broker:
who may decide, what sending and accepting need, what a change does to an approval, and what is
announced and logged."""

import grpc

from oms.events.v1 import quoting_pb2 as events
from oms.quoting.v1 import quoting_pb2 as pb
from oms.types.v1 import pricing_pb2 as pricing
from services.quoting.tests.integration.conftest import Catalog, Quoting, one_line, refusal
from testkit.services import EventLog, as_user

SAM = as_user("sam", "sales", team="north")
NORTH_MANAGER = as_user("nina", "sales-manager", team="north")
SOUTH_MANAGER = as_user("sol", "sales-manager", team="south")
DENIED = grpc.StatusCode.PERMISSION_DENIED
REFUSED = grpc.StatusCode.FAILED_PRECONDITION
APPROVE = pb.DISCOUNT_DECISION_APPROVE


def widgets(c: Catalog, percent: str) -> pb.CreateQuoteRequest:
    line = pb.LineInput(sku=c.widget, quantity=2, discount=pricing.Discount(percent=percent))
    return one_line(line)


def decide(quote_id: str, decision: int = APPROVE, note: str = "") -> pb.DecideQuoteDiscountRequest:
    return pb.DecideQuoteDiscountRequest(quote_id=quote_id, decision=decision, note=note)  # type: ignore[arg-type]


async def test_a_big_discount_waits_for_a_team_managers_approval_before_it_is_sent(
    quoting: Quoting, products: Catalog, kafka_bootstrap: str
) -> None:
    stub = quoting.stub
    kinds = [events.QuoteApprovalRequested, events.QuoteDiscountDecided]
    async with EventLog(kafka_bootstrap, kinds, quoting.ns) as log:
        quote = (await stub.CreateQuote(widgets(products, "35"), metadata=SAM)).quote
        assert (quote.approval.status, quote.approval.reason) == (
            "pending",
            "line 1: 35% off is above the 20% that needs approval",
        )
        assert not quote.approval.HasField("decided_at")
        send = pb.SendQuoteRequest(quote_id=quote.id)
        assert await refusal(stub.SendQuote(send, metadata=SAM)) == (REFUSED, ["approval"])

        assert (await refusal(stub.DecideQuoteDiscount(decide(quote.id), metadata=SAM)))[
            0
        ] == DENIED
        mine = (await stub.CreateQuote(widgets(products, "35"), metadata=NORTH_MANAGER)).quote
        own = stub.DecideQuoteDiscount(decide(mine.id), metadata=NORTH_MANAGER)
        assert (await refusal(own))[0] == DENIED
        other_team = stub.DecideQuoteDiscount(decide(quote.id), metadata=SOUTH_MANAGER)
        assert (await refusal(other_team))[0] == DENIED

        waiting = pb.ListQuotesRequest(approval="pending")
        listed = await stub.ListQuotes(waiting, metadata=NORTH_MANAGER)
        assert {q.id for q in listed.quotes} == {quote.id, mine.id}

        decided = (
            await stub.DecideQuoteDiscount(
                decide(quote.id, note="key account"), metadata=NORTH_MANAGER
            )
        ).quote
        assert (decided.approval.status, decided.approval.decided_by, decided.approval.note) == (
            "approved",
            "nina",
            "key account",
        )
        assert decided.approval.HasField("decided_at")
        again = stub.DecideQuoteDiscount(decide(quote.id), metadata=NORTH_MANAGER)
        assert await refusal(again) == (REFUSED, ["approval"])
        listed = await stub.ListQuotes(waiting, metadata=NORTH_MANAGER)
        assert [q.id for q in listed.quotes] == [mine.id]

        sent = (await stub.SendQuote(send, metadata=SAM)).quote
        accept = pb.AcceptQuoteRequest(quote_id=quote.id)
        accepted = (await stub.AcceptQuote(accept, metadata=SAM)).quote
        assert (sent.status, accepted.status, accepted.approval.status) == (
            "sent",
            "accepted",
            "approved",
        )
        found = await log.wait_for(quote.id, count=5)  # every event of the quote's topic
    assert [type(event).__name__ for _, event in found] == [
        "QuoteCreated",
        "QuoteApprovalRequested",
        "QuoteDiscountDecided",
        "QuoteSent",
        "QuoteAccepted",
    ]
    (requested_envelope, requested), (decided_envelope, decision) = found[1:3]
    assert isinstance(requested, events.QuoteApprovalRequested)
    assert (requested.version, requested.salesperson, requested.team, requested.reason) == (
        1,
        "sam",
        "north",
        quote.approval.reason,
    )
    assert requested_envelope.actor.subject == "sam"
    assert isinstance(decision, events.QuoteDiscountDecided)
    assert (decision.decision, decision.decided_by, decision.note) == (
        "approved",
        "nina",
        "key account",
    )
    assert decided_envelope.actor.subject == "nina"
    entries = await quoting.entries("quote", quote.id)
    approval = [e for e in entries if e.action == "discount approved"]
    assert [e.actor for e in approval] == ["nina"]


async def test_a_change_needs_a_new_approval_and_no_big_discount_none(
    quoting: Quoting, products: Catalog
) -> None:
    stub = quoting.stub
    quote = (await stub.CreateQuote(widgets(products, "35"), metadata=SAM)).quote
    await stub.DecideQuoteDiscount(decide(quote.id), metadata=NORTH_MANAGER)
    await stub.SendQuote(pb.SendQuoteRequest(quote_id=quote.id), metadata=SAM)
    revise = pb.ReviseQuoteRequest(quote_id=quote.id)
    revised = (await stub.ReviseQuote(revise, metadata=SAM)).quote
    assert (revised.version, revised.approval.status, revised.approval.decided_by) == (
        2,
        "pending",
        "",
    )
    send = pb.SendQuoteRequest(quote_id=quote.id)
    assert await refusal(stub.SendQuote(send, metadata=SAM)) == (REFUSED, ["approval"])

    rejected = (
        await stub.DecideQuoteDiscount(
            decide(quote.id, pb.DISCOUNT_DECISION_REJECT, "10 % at most"), metadata=NORTH_MANAGER
        )
    ).quote
    assert rejected.approval.status == "rejected"
    assert await refusal(stub.SendQuote(send, metadata=SAM)) == (REFUSED, ["approval"])

    smaller = widgets(products, "10").content
    update = pb.UpdateQuoteRequest(quote_id=quote.id, content=smaller)
    updated = (await stub.UpdateQuote(update, metadata=SAM)).quote
    assert (updated.approval.status, updated.approval.reason) == ("not_required", "")
    assert (await stub.SendQuote(send, metadata=SAM)).quote.status == "sent"
    stored = (await stub.GetQuote(pb.GetQuoteRequest(quote_id=quote.id))).quote
    assert stored.approval == updated.approval

    small = (await stub.CreateQuote(widgets(products, "20"), metadata=SAM)).quote
    assert small.approval.status == "not_required"
    not_pending = stub.DecideQuoteDiscount(decide(small.id), metadata=NORTH_MANAGER)
    assert await refusal(not_pending) == (REFUSED, ["approval"])
    unspecified = stub.DecideQuoteDiscount(decide(quote.id, 0), metadata=NORTH_MANAGER)
    assert await refusal(unspecified) == (grpc.StatusCode.INVALID_ARGUMENT, ["decision"])
