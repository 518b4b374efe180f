"""Quoting's domain events as their wire messages (oms.events.v1, topic oms.quoting.quote.v1),
for the outbox; each keyed by its quote, so a quote's events keep their order."""

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
]


def to_message(event: QuoteEvent) -> Message:
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
