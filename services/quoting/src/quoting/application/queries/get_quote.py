"""A quote, or an earlier version of it, if the caller may see the quote as it is now."""

from __future__ import annotations

from dataclasses import dataclass

from quoting.application.changes import reachable_quote
from quoting.application.ports import Ports
from quoting.domain.model import Quote
from servicekit.errors import NotFound


@dataclass(frozen=True)
class GetQuote:
    quote_id: str
    version: int = 0  # 0: the latest


async def get_quote(ports: Ports, query: GetQuote) -> Quote:
    async with ports.uow() as uow:
        latest = await reachable_quote(uow, query.quote_id)
        if query.version in (0, latest.version):
            return latest
        quote = await uow.quotes.get(query.quote_id, query.version)
    if quote is None:
        raise NotFound(f"quote {query.quote_id} version {query.version} not found")
    return quote
