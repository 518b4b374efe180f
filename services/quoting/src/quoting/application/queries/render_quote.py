"""A quote (or an earlier version) as a printable PDF, and the file name to save it under."""

from __future__ import annotations

from dataclasses import dataclass

from quoting.application.ports import Ports
from quoting.application.queries.get_quote import GetQuote, get_quote


@dataclass(frozen=True)
class RenderQuote:
    quote_id: str
    version: int = 0


@dataclass(frozen=True)
class RenderedQuote:
    pdf: bytes
    filename: str


async def render_quote(ports: Ports, query: RenderQuote) -> RenderedQuote:
    """The quote addressed to its customer (name and address from quoting's copy of the customer
    master), named by its number."""
    quote = await get_quote(ports, GetQuote(query.quote_id, query.version))
    async with ports.uow() as uow:
        customer = await uow.customers.get(quote.content.customer_id)
    filename = f"quote-{quote.number or quote.id[:8]}-v{quote.version}.pdf"
    return RenderedQuote(ports.printer.render(quote, customer), filename)
