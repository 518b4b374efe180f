"""Quoting's values as protobuf: stored as their messages' JSON and back unchanged, on the wire
as the contract says, and its events as their oms.events.v1 messages."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from google.protobuf.json_format import MessageToDict, ParseDict

from oms.events.v1 import orders_pb2
from oms.events.v1 import quoting_pb2 as wire
from oms.quoting.v1 import quoting_pb2 as pb
from oms.types.v1 import pricing_pb2 as pricing
from oms.types.v1.types_pb2 import Money
from pricing.wire import document_from_proto, document_to_proto, verify
from quoting.adapters.events import to_message
from quoting.adapters.protobuf import (
    content_from_proto,
    content_to_json,
    content_to_proto,
    money_to_proto,
)
from quoting.domain.approval import Approval, ApprovalStatus
from quoting.domain.content import GroupInput, LineInput, QuoteContent, UnitPrice
from quoting.domain.events import QuoteApprovalRequested, QuoteDiscountDecided
from quoting.domain.model import Quote, Status
from quoting.entrypoints.messages import content_of, quote_to_proto
from quoting.entrypoints.subscriptions import customer_of
from servicekit.grpc import timestamp
from services.quoting.tests.builders import NOW, TODAY, a_rich_quote


def test_content_and_documents_come_back_from_their_stored_json_unchanged() -> None:
    quote = a_rich_quote()
    stored = MessageToDict(content_to_proto(quote.content))
    assert content_to_json(quote.content) == stored  # written without the message, the same
    assert stored["validUntil"] == "2026-12-01"  # the form the database keeps
    assert content_from_proto(ParseDict(stored, pb.QuoteContent())) == quote.content
    document = MessageToDict(document_to_proto(quote.document))
    back = document_from_proto(ParseDict(document, pricing.PricedDocument()))
    assert back == quote.document
    verify(document_to_proto(back))


# A version as the service stored it before its domain was plain Python (MessageToDict of
# oms.quoting.v1.QuoteContent and oms.types.v1.PricedDocument): it must read back unchanged.
STORED_CONTENT = {
    "customerId": "C-1",
    "salesperson": "sam",
    "currency": "EUR",
    "validUntil": "2026-12-25",
    "groups": [{"name": "Main", "lines": [{"sku": "W-1", "quantity": "3"}]}],
    "shipping": [
        {"description": "f", "amount": "9.90", "taxes": [{"code": "VAT19", "rate": "0.19"}]}
    ],
}
LINE_ID = "cb04de5f-00e9-4b86-8b7d-2701159ef621"
STORED_DOCUMENT = {
    "currency": "EUR",
    "groups": [
        {
            "name": "Main",
            "lines": [
                {
                    "lineId": LINE_ID,
                    "productId": "p-w",
                    "sku": "W-1",
                    "description": "Widget",
                    "quantity": "3",
                    "unitPrice": "10.00",
                    "discount": {},
                    "priceRule": "list",
                    "kind": "stocked",
                }
            ],
            "discount": {},
        }
    ],
    "shipping": [
        {"description": "f", "amount": "9.90", "taxes": [{"code": "VAT19", "rate": "0.19"}]}
    ],
    "policy": {},
    "breakdown": {
        "engineVersion": "1",
        "policy": {"roundingMode": "per_line", "rounding": "half_up"},
        "lines": [{"lineId": LINE_ID, "extended": "30.00", "discount": "0.00", "net": "30.00"}],
        "subtotal": "30.00",
        "discounts": "0.00",
        "net": "30.00",
        "shipping": "9.90",
        "taxes": [{"code": "VAT19", "rate": "0.19", "base": "9.90", "amount": "1.88"}],
        "total": "41.78",
    },
}


def test_a_version_stored_before_reads_back_and_is_stored_again_the_same() -> None:
    content = content_from_proto(ParseDict(STORED_CONTENT, pb.QuoteContent()))
    document = document_from_proto(ParseDict(STORED_DOCUMENT, pricing.PricedDocument()))
    assert MessageToDict(content_to_proto(content)) == STORED_CONTENT
    assert content_to_json(content) == STORED_CONTENT
    # stored before the breakdown had group figures: they are derived, and stored from then on
    figures = {"subtotal": "30.00", "discount": "0.00", "net": "30.00", "tax": "0.00"}
    breakdown = STORED_DOCUMENT["breakdown"] | {
        "groups": [{"name": "Main", **figures}],
        "shippingTax": "1.88",
    }
    assert MessageToDict(document_to_proto(document)) == STORED_DOCUMENT | {"breakdown": breakdown}
    assert (content.valid_until, document.figures.total, document.currency) == (
        "2026-12-25",
        Decimal("41.78"),
        "EUR",
    )


def test_unset_terms_stay_unset_and_an_entered_price_stays_entered() -> None:
    content = QuoteContent(groups=(GroupInput("G", (LineInput(sku="W-1", quantity=1),)),))
    message = content_to_proto(content)
    assert not message.HasField("policy")
    assert not message.groups[0].HasField("discount")
    assert not message.groups[0].lines[0].HasField("unit_price")
    assert content_to_json(content) == MessageToDict(message)
    zero = LineInput(description="free", quantity=1, unit_price=UnitPrice("", ""))
    back = content_from_proto(content_to_proto(QuoteContent(groups=(GroupInput("G", (zero,)),))))
    assert back.groups[0].lines[0].unit_price == UnitPrice("", "")


def test_the_first_apis_flat_lines_are_one_group() -> None:
    request = pb.CreateQuoteRequest(
        customer_id="C-1",
        salesperson="sam",
        currency="EUR",
        lines=[pb.QuoteLine(description="fee", quantity=2, unit_price=Money(amount="5"))],
    )
    content = content_of(request)
    assert [g.name for g in content.groups] == ["Items"]
    assert content.groups[0].lines == (
        LineInput(description="fee", quantity=2, unit_price=UnitPrice("5", "")),
    )
    assert content_of(pb.CreateQuoteRequest(customer_id="C-1")).groups == ()
    assert content_of(pb.CreateQuoteRequest(content=pb.QuoteContent(notes="n"))).notes == "n"


def test_a_quote_on_the_wire_has_its_document_and_the_first_apis_lines() -> None:
    quote = a_rich_quote(status=Status.SENT)
    message = quote_to_proto(quote)
    assert (message.status, message.total.amount, message.total.currency) == (
        "sent",
        format(quote.total.amount, "f"),
        "EUR",
    )
    assert message.document == document_to_proto(quote.document)
    figures = {f.line_id: f for f in message.document.breakdown.lines}
    flat = [line for group in message.document.groups for line in group.lines]
    assert [(x.description, x.quantity, x.unit_price.amount) for x in message.lines] == [
        (line.description, int(Decimal(line.quantity)), line.unit_price) for line in flat
    ]
    assert [x.line_total.amount for x in message.lines] == [
        figures[line.line_id].net for line in flat
    ]
    assert (message.valid_until, message.payment_terms, message.team) == (
        "2026-12-01",
        "30 days net",
        "north",
    )


def test_events_travel_as_their_oms_events_messages() -> None:
    quote = a_rich_quote()
    (created,) = Quote.create("q-2", quote.content, quote.document, NOW, "sam", "north")[1]
    assert to_message(created) == wire.QuoteCreated(
        quote_id="q-2", customer_id="C-1", salesperson="sam", total=money_to_proto(quote.total)
    )
    (sent,) = quote.send(TODAY)
    assert to_message(sent) == wire.QuoteSent(
        quote_id="q-rich",
        version=1,
        customer_id="C-1",
        total=Money(amount=format(quote.total.amount, "f"), currency="EUR"),
        valid_until="2026-12-01",
    )
    (accepted,) = quote.accept("sales_order", TODAY)
    message = to_message(accepted)
    assert isinstance(message, wire.QuoteAccepted)
    assert (message.convert_to, message.target_id, message.payment_terms, message.team) == (
        "sales_order",
        quote.converted_id,
        "30 days net",
        "north",
    )
    assert message.document == document_to_proto(quote.document)
    verify(message.document)
    sent_again = a_rich_quote(status=Status.SENT)
    (rejected,) = sent_again.reject(" dear ")
    assert to_message(rejected) == wire.QuoteRejected(quote_id="q-rich", version=1, reason=" dear ")
    (revised,) = sent_again.revise(sent_again.content, sent_again.document)
    assert to_message(revised) == wire.QuoteRevised(
        quote_id="q-rich", version=2, previous_version=1
    )
    (expired,) = a_rich_quote().expire(date(2026, 12, 2))
    assert to_message(expired) == wire.QuoteExpired(
        quote_id="q-rich", version=1, valid_until="2026-12-01"
    )


def test_approval_events_travel_as_their_oms_events_messages() -> None:
    quote = a_rich_quote()
    requested = QuoteApprovalRequested("q-rich", 2, "sam", "north", "line 1: ...", quote.total)
    assert to_message(requested) == wire.QuoteApprovalRequested(
        quote_id="q-rich",
        version=2,
        salesperson="sam",
        team="north",
        reason="line 1: ...",
        total=money_to_proto(quote.total),
    )
    decided = QuoteDiscountDecided("q-rich", 2, "rejected", "nina", "too much")
    assert to_message(decided) == wire.QuoteDiscountDecided(
        quote_id="q-rich", version=2, decision="rejected", decided_by="nina", note="too much"
    )


def test_a_quote_on_the_wire_has_its_approval() -> None:
    undecided = quote_to_proto(a_rich_quote()).approval
    assert undecided == pb.QuoteApproval(status="not_required")
    assert not undecided.HasField("decided_at")
    decided = Approval(ApprovalStatus.APPROVED, "line 1: ...", "nina", NOW, "ok")
    assert quote_to_proto(a_rich_quote(approval=decided)).approval == pb.QuoteApproval(
        status="approved",
        reason="line 1: ...",
        decided_by="nina",
        decided_at=timestamp(NOW),
        note="ok",
    )


def test_a_customer_account_becomes_its_copy() -> None:
    account = orders_pb2.CustomerAccount(
        customer_id="C-1", name="Bolt", customer_group="wholesale", currency="EUR"
    )
    customer = customer_of(account)
    assert (customer.customer_id, customer.customer_group, customer.payment_terms) == (
        "C-1",
        "wholesale",
        "",
    )
