"""A quote drafted from an open customer request in one step: priced as CreateQuote prices one
(for the request's customer and owner unless the content names others), stored in the same
transaction that marks the request quoted with the quote's id."""

from __future__ import annotations

from dataclasses import dataclass, replace

from quoting.application.commands.create_quote import add_quote, draft_quote
from quoting.application.ports import Ports
from quoting.application.request_changes import audited, reachable_request, save_change
from quoting.domain.content import QuoteContent
from quoting.domain.model import Quote
from quoting.domain.request import CustomerRequest, RequestStatus
from servicekit.errors import FailedPrecondition, FieldViolation, InvalidArgument


@dataclass(frozen=True)
class QuoteRequest:
    request_id: str
    content: QuoteContent


def _require_open(request: CustomerRequest) -> None:
    """Refused before pricing; the transaction checks again under the lock."""
    if request.status is not RequestStatus.OPEN:
        raise FailedPrecondition(
            f"request {request.number} is {request.status.value}; only an open one is quoted",
            (FieldViolation("status", f"is {request.status.value}"),),
        )


async def quote_request(ports: Ports, command: QuoteRequest) -> tuple[Quote, CustomerRequest]:
    async with ports.uow() as uow:
        request = await reachable_request(uow, command.request_id)
    _require_open(request)
    customer_id = command.content.customer_id.strip() or request.customer_id
    if not customer_id:
        raise InvalidArgument.of(
            "customer_id", "required: the request is a prospect's, name the registered customer"
        )
    content = replace(command.content, customer_id=customer_id)
    quote, quote_events = await draft_quote(ports, content, request.owner)
    async with ports.uow() as uow:
        request = await reachable_request(uow, command.request_id, for_update=True)
        before = audited(request)
        events = request.quote(quote.id, quote.created_at)
        await add_quote(uow, quote, quote_events)
        await save_change(uow, request, "quoted", before, events)
    return quote, request
