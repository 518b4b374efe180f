"""Quoting's domain events as their wire messages (oms.events.v1), for the outbox: a quote's on
oms.quoting.quote.v1 keyed by the quote, a customer request's on oms.quoting.request.v1 keyed by
the request, so each one's events keep their order. Who acted travels in the envelope
(ce_actor), as on every event."""

from __future__ import annotations

from typing import assert_never

from google.protobuf.message import Message

from oms.events.v1 import quoting_pb2 as wire
from pricing.wire import document_to_proto
from quoting.adapters.protobuf import money_to_proto
from quoting.domain.events import (
    QuoteAccepted,
    QuoteApprovalRequested,
    QuoteCreated,
    QuoteDiscountDecided,
    QuoteEvent,
    QuoteExpired,
    QuoteRejected,
    QuoteRevised,
    QuoteSent,
    RequestEvent,
    RequestLost,
    RequestQuoted,
    RequestRegistered,
)

# What quoting publishes, for the service host.
PUBLISHED: list[type[Message]] = [
    wire.QuoteCreated,
    wire.QuoteSent,
    wire.QuoteRevised,
    wire.QuoteAccepted,
    wire.QuoteRejected,
    wire.QuoteExpired,
    wire.QuoteApprovalRequested,
    wire.QuoteDiscountDecided,
    wire.RequestRegistered,
    wire.RequestQuoted,
    wire.RequestLost,
]


def key_of(event: QuoteEvent | RequestEvent) -> str:
    """The partition key: the quote's or the request's id."""
    match event:
        case RequestRegistered() | RequestQuoted() | RequestLost():
            return event.request_id
        case _:
            return event.quote_id


def to_message(event: QuoteEvent | RequestEvent) -> Message:
    match event:
        case QuoteCreated():
            return wire.QuoteCreated(
                quote_id=event.quote_id,
                customer_id=event.customer_id,
                salesperson=event.salesperson,
                total=money_to_proto(event.total),
            )
        case QuoteSent():
            return wire.QuoteSent(
                quote_id=event.quote_id,
                version=event.version,
                customer_id=event.customer_id,
                total=money_to_proto(event.total),
                valid_until=event.valid_until.isoformat(),
            )
        case QuoteRevised():
            return wire.QuoteRevised(
                quote_id=event.quote_id,
                version=event.version,
                previous_version=event.previous_version,
            )
        case QuoteAccepted():
            return _accepted(event)
        case QuoteRejected():
            return wire.QuoteRejected(
                quote_id=event.quote_id, version=event.version, reason=event.reason
            )
        case QuoteExpired():
            return wire.QuoteExpired(
                quote_id=event.quote_id,
                version=event.version,
                valid_until=event.valid_until.isoformat(),
            )
        case QuoteApprovalRequested():
            return wire.QuoteApprovalRequested(
                quote_id=event.quote_id,
                version=event.version,
                salesperson=event.salesperson,
                team=event.team,
                reason=event.reason,
                total=money_to_proto(event.total),
            )
        case QuoteDiscountDecided():
            return wire.QuoteDiscountDecided(
                quote_id=event.quote_id,
                version=event.version,
                decision=event.decision,
                decided_by=event.decided_by,
                note=event.note,
            )
        case RequestRegistered() | RequestQuoted() | RequestLost():
            return _request_message(event)
        case _:
            assert_never(event)


def _request_message(event: RequestEvent) -> Message:
    match event:
        case RequestRegistered():
            return wire.RequestRegistered(
                request_id=event.request_id,
                number=event.number,
                source=event.source,
                customer_id=event.customer_id,
                owner=event.owner,
                team=event.team,
                value_estimate=money_to_proto(event.value_estimate),
            )
        case RequestQuoted():
            return wire.RequestQuoted(request_id=event.request_id, quote_id=event.quote_id)
        case RequestLost():
            return wire.RequestLost(
                request_id=event.request_id,
                reason=event.reason,
                note=event.note,
                value_estimate=money_to_proto(event.value_estimate),
            )
        case _:
            assert_never(event)


def _accepted(event: QuoteAccepted) -> wire.QuoteAccepted:
    """With the priced document, which the sales order or invoice it becomes is made from."""
    return wire.QuoteAccepted(
        quote_id=event.quote_id,
        version=event.version,
        customer_id=event.customer_id,
        salesperson=event.salesperson,
        convert_to=event.convert_to,
        target_id=event.target_id,
        document=document_to_proto(event.document),
        payment_terms=event.payment_terms,
        team=event.team,
    )
