"""Replacing a draft's content, repriced."""

from __future__ import annotations

from dataclasses import dataclass

from quoting.application.changes import audited, reachable_quote, save_change
from quoting.application.ports import Ports
from quoting.application.quote_pricing import price_content
from quoting.domain.content import QuoteContent
from quoting.domain.model import Quote


@dataclass(frozen=True)
class UpdateQuote:
    quote_id: str
    content: QuoteContent


async def update_quote(ports: Ports, command: UpdateQuote) -> Quote:
    async with ports.uow() as uow:
        current = await reachable_quote(uow, command.quote_id)
    content, document = await price_content(ports, command.content, current.salesperson)
    async with ports.uow() as uow:
        quote = await reachable_quote(uow, command.quote_id, for_update=True)
        before = audited(quote)
        events = quote.update(content, document, ports.approval_above)
        await save_change(uow, quote, "updated", before, events, ports.clock.now())
    return quote
