"""A new draft version of a sent, rejected or expired quote: of new content, or of the latest
version's content repriced. The earlier version stays readable."""

from __future__ import annotations

from dataclasses import dataclass

from quoting.application.changes import audited, reachable_quote, save_change
from quoting.application.ports import Ports
from quoting.application.quote_pricing import price_content
from quoting.domain.content import QuoteContent
from quoting.domain.model import Quote


@dataclass(frozen=True)
class ReviseQuote:
    quote_id: str
    content: QuoteContent | None = None  # None: the latest version's, repriced


async def revise_quote(ports: Ports, command: ReviseQuote) -> Quote:
    async with ports.uow() as uow:
        current = await reachable_quote(uow, command.quote_id)
    wanted = current.content if command.content is None else command.content
    content, document = await price_content(ports, wanted, current.salesperson)
    async with ports.uow() as uow:
        quote = await reachable_quote(uow, command.quote_id, for_update=True)
        before = audited(quote)
        events = quote.revise(content, document, ports.approval_above)
        await save_change(uow, quote, "revised", before, events, ports.clock.now())
    return quote
