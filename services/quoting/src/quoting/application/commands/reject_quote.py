"""The customer rejects a sent quote, perhaps saying why."""

from __future__ import annotations

from dataclasses import dataclass

from quoting.application.changes import audited, reachable_quote, save_change
from quoting.application.ports import Ports
from quoting.domain.model import Quote


@dataclass(frozen=True)
class RejectQuote:
    quote_id: str
    reason: str = ""


async def reject_quote(ports: Ports, command: RejectQuote) -> Quote:
    async with ports.uow() as uow:
        quote = await reachable_quote(uow, command.quote_id, for_update=True)
        before = audited(quote)
        events = quote.reject(command.reason)
        await save_change(uow, quote, "rejected", before, events, ports.clock.now())
    return quote
