"""SalesOrderLinesChanged: billing's copy of the order takes its lines as they are now and, for an
order with a priced document, the document repriced for them -- so later shipments are invoiced
against what the order now says, and the order's invoices still add up to it. An order billed
whole (made from a quote, or holding a kit) whose rest was cancelled is invoiced whole now, with
the repriced document, when everything left on it has already shipped."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from billing.application.invoicing import invoice_whole
from billing.application.ports import UnitOfWork
from billing.domain.orders import OrderLine, QuotedDocument
from pricing.money import Money


@dataclass(frozen=True)
class ChangedLine:
    """An order line as it is now (quantity 0: gone)."""

    line_id: str
    product_id: str
    sku: str
    quantity: int
    unit_price: Decimal


async def on_sales_order_lines_changed(
    uow: UnitOfWork,
    order_id: str,
    lines: Sequence[ChangedLine],
    document: QuotedDocument | None,
) -> None:
    """Changes travel after the order on its partition: a copy not kept is nothing to change.
    Redelivered, it changes nothing more (the whole invoice is issued once)."""
    copy = await uow.orders.get(order_id, lock=True)
    if copy is None:
        return
    now = [
        OrderLine(x.line_id, x.product_id, x.sku, x.quantity, Money(x.unit_price, copy.currency))
        for x in lines
        if x.quantity > 0
    ]
    copy.change_lines(now, document)
    await uow.orders.save(copy)
    if copy.billed_whole:
        await invoice_whole(uow, copy)
