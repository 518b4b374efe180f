"""The customer accepts a sent quote: it becomes a sales order or an invoice, by its event."""

from __future__ import annotations

from dataclasses import dataclass

from quoting.application.changes import audited, reachable_quote, save_change
from quoting.application.ports import Ports
from quoting.domain.model import Quote


@dataclass(frozen=True)
class AcceptQuote:
    quote_id: str
    convert_to: str = ""  # "sales_order" (empty) or "invoice"


async def accept_quote(ports: Ports, command: AcceptQuote) -> Quote:
    async with ports.uow() as uow:
        quote = await reachable_quote(uow, command.quote_id, for_update=True)
        before = audited(quote)
        events = quote.accept(command.convert_to, ports.clock.today())
        await save_change(uow, quote, "accepted", before, events, ports.clock.now())
    return quote
