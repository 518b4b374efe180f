"""Quotes expire by themselves once their validity date passes: the service's own job, run by
servicehost.periodic as `system:expiry` and logged in the change log under that actor."""

from __future__ import annotations

from quoting.application.changes import audited, save_change
from quoting.application.ports import Ports

# Quotes expired per transaction; the next round takes the rest.
EXPIRY_BATCH = 100


async def expire_quotes(ports: Ports) -> int:
    """Expires open quotes past their validity date; how many it expired."""
    today, expired = ports.clock.today(), 0
    async with ports.uow() as uow:
        for quote_id in await uow.quotes.open_past_validity(today, EXPIRY_BATCH):
            quote = await uow.quotes.get(quote_id)
            if quote is None:
                continue
            before = audited(quote)
            events = quote.expire(today)
            if not events:
                continue
            await save_change(uow, quote, "expired", before, events, ports.clock.now())
            expired += 1
    return expired
