"""Sending a draft to the customer: draft -> sent, while it is valid."""

from __future__ import annotations

from dataclasses import dataclass

from quoting.application.changes import audited, reachable_quote, save_change
from quoting.application.ports import Ports
from quoting.domain.model import Quote


@dataclass(frozen=True)
class SendQuote:
    quote_id: str


async def send_quote(ports: Ports, command: SendQuote) -> Quote:
    async with ports.uow() as uow:
        quote = await reachable_quote(uow, command.quote_id, for_update=True)
        before = audited(quote)
        events = quote.send(ports.clock.today())
        await save_change(uow, quote, "sent", before, events, ports.clock.now())
    return quote
