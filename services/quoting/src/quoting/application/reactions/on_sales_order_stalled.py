"""orders could not make (or move on) the sales order of an accepted quote -- SalesOrderStalled --
or a person's retry went through -- SalesOrderStallCleared: the quote shows why its order has
not come, until it has."""

from __future__ import annotations

from quoting.application.ports import UnitOfWork


async def on_sales_order_stalled(uow: UnitOfWork, quote_id: str, reason: str) -> None:
    """`reason` empty: the stall cleared. An order not made from a quote concerns no quote."""
    if not quote_id:
        return
    quote = await uow.quotes.get(quote_id, for_update=True)
    if quote is None or quote.order_stalled == reason:
        return
    quote.order_stalled = reason
    await uow.quotes.save(quote, quote.created_by)
