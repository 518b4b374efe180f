"""oms.quoting.v1 messages to commands and queries, and results back to messages."""

from __future__ import annotations

from typing import Any

from oms.quoting.v1 import quoting_pb2 as pb
from pricing.document import figure_text
from pricing.fields import document_fields, message_fields
from quoting.adapters.protobuf import content_from_proto, group_input_to_proto, money_to_proto
from quoting.domain.approval import Approval
from quoting.domain.content import GroupInput, LineInput, QuoteContent, UnitPrice
from quoting.domain.model import Quote
from quoting.domain.template import Template
from servicekit.grpc import timestamp


def content_of(request: pb.CreateQuoteRequest) -> QuoteContent:
    """The request's content, or the first API's flat free-text lines as one group."""
    if request.HasField("content"):
        return content_from_proto(request.content)
    lines = tuple(
        LineInput(
            description=x.description,
            quantity=x.quantity,
            unit_price=UnitPrice(x.unit_price.amount, x.unit_price.currency),
        )
        for x in request.lines
    )
    return QuoteContent(
        customer_id=request.customer_id,
        salesperson=request.salesperson,
        currency=request.currency,
        groups=(GroupInput(name="Items", lines=lines),) if lines else (),
    )


def quote_to_proto(quote: Quote) -> pb.Quote:
    content, document = quote.content, quote.document
    currency = document.currency
    # The document and the lines as fields, so the message initialises them in place: built as
    # messages first, a 1,000-line document was built and then copied in whole.
    in_place: dict[str, Any] = {
        "document": document_fields(document, message_fields),
        "lines": [
            {
                "description": line.description,
                "quantity": line.units,
                "unit_price": {"amount": line.unit_price, "currency": currency},
                "line_total": {"amount": figure_text(figures.net), "currency": currency},
            }
            for line, figures in document.lines_with_figures()
        ],
    }
    return pb.Quote(
        id=quote.id,
        version=quote.version,
        latest_version=quote.latest_version,
        status=quote.status.value,
        customer_id=content.customer_id,
        customer_group=content.customer_group,
        salesperson=content.salesperson,
        currency=currency,
        valid_until=content.valid_until,
        payment_terms=content.payment_terms,
        terms_and_conditions=content.terms_and_conditions,
        notes=content.notes,
        total=money_to_proto(quote.total),
        converted_to=quote.converted_to,
        converted_id=quote.converted_id,
        rejection_reason=quote.rejection_reason,
        created_at=timestamp(quote.created_at),
        created_by=quote.created_by,
        updated_at=timestamp(quote.updated_at),
        team=quote.team,
        number=quote.number,
        order_stalled=quote.order_stalled,
        approval=approval_to_proto(quote.approval),
        **in_place,
    )


def approval_to_proto(approval: Approval) -> pb.QuoteApproval:
    message = pb.QuoteApproval(
        status=approval.status.value,
        reason=approval.reason,
        decided_by=approval.decided_by,
        note=approval.note,
    )
    if approval.decided_at is not None:
        message.decided_at.CopyFrom(timestamp(approval.decided_at))
    return message


def template_to_proto(template: Template) -> pb.Template:
    return pb.Template(
        id=template.id,
        name=template.name,
        groups=[group_input_to_proto(group) for group in template.groups],
        created_at=timestamp(template.created_at),
        created_by=template.created_by,
    )
