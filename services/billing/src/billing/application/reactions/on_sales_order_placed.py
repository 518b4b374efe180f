"""SalesOrderPlaced: billing keeps its own copy of the order (its lines and prices, the priced
document of an order made from a quote, its channel), then invoices the shipments that arrived
before it."""

from __future__ import annotations

from dataclasses import dataclass

from billing.application.invoicing import invoice_shipment
from billing.application.ports import UnitOfWork
from billing.domain.orders import OrderCopy, OrderLine, QuotedDocument


@dataclass(frozen=True)
class SalesOrderPlaced:
    order_id: str
    customer_id: str
    currency: str
    lines: tuple[OrderLine, ...]
    # An order made from a quote: its priced document (its figures proven the engine's).
    document: QuotedDocument | None = None
    channel: str = ""
    # The quote it was made from (billed whole); empty for an order placed directly.
    quote_id: str = ""


async def on_sales_order_placed(uow: UnitOfWork, event: SalesOrderPlaced) -> None:
    """Once per order: a copy placed again changes nothing."""
    await uow.orders.hold(event.order_id)  # a shipment being parked now is then seen unparked
    copy = OrderCopy.placed(
        event.order_id,
        event.customer_id,
        event.currency,
        event.lines,
        event.document,
        event.channel,
        event.quote_id,
    )
    if not await uow.orders.add(copy):
        return
    for shipment in await uow.orders.unpark(event.order_id):
        await invoice_shipment(uow, shipment)
