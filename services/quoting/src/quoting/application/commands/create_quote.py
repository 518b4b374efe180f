"""Drafting a quote: priced from the catalog now, for the caller (or whom a manager names).
QuoteRequest drafts one the same way, in the transaction that marks its request quoted. A retry
with the same client request id answers the quote the first call drafted."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from quoting.application.changes import QUOTE, audited, reachable_quote
from quoting.application.ports import Ports, UnitOfWork
from quoting.application.quote_pricing import price_content
from quoting.domain.content import QuoteContent
from quoting.domain.events import QuoteEvent
from quoting.domain.limits import TEAM
from quoting.domain.model import Quote, quote_number
from servicekit.context import current_principal
from servicekit.errors import InvalidArgument

CREATE = "create_quote"


@dataclass(frozen=True)
class CreateQuote:
    content: QuoteContent
    # The client's id for the call ("" when it gives none) and the call's content without it
    # (servicekit.idempotency.fingerprint), which a retry must repeat exactly.
    request_id: str = ""
    fingerprint: str = ""


async def create_quote(ports: Ports, command: CreateQuote) -> Quote:
    quote, events = await draft_quote(ports, command.content)
    async with ports.uow() as uow:
        # a retry whose first try drafted the quote (its answer lost) gets that one back, as
        # it is now, if the caller may still see it
        done = await uow.retries.claim(CREATE, command.request_id, command.fingerprint)
        if done is not None:
            return await reachable_quote(uow, done)
        await uow.retries.complete(CREATE, command.request_id, quote.id)
        await add_quote(uow, quote, events)
    return quote


async def draft_quote(
    ports: Ports, content: QuoteContent, salesperson: str = ""
) -> tuple[Quote, list[QuoteEvent]]:
    """A new draft priced from the catalog (outside any transaction), not yet stored; an empty
    salesperson in `content` is `salesperson`, or the caller."""
    caller = current_principal()
    if len(caller.team) > TEAM:
        raise InvalidArgument.of("team", f"the token's team claim is over {TEAM} characters")
    content, document = await price_content(ports, content, salesperson)
    return Quote.create(
        str(uuid.uuid4()),
        content,
        document,
        ports.clock.now(),
        caller.subject,
        caller.team,
        ports.approval_above,
    )


async def add_quote(uow: UnitOfWork, quote: Quote, events: list[QuoteEvent]) -> None:
    """Stores a drafted quote in `uow`, numbered, with its events and change-log entry."""
    year = quote.created_at.year
    quote.number = quote_number(year, await uow.quotes.next_number(year))
    await uow.quotes.add(quote)
    await uow.publish(events)
    await uow.record(QUOTE, quote.id, "created", after=audited(quote))
