"""SalesOrderCancelled: every invoice of the order credited for what no credit note credited yet,
and marked credited; invoices issued for it later are credited as soon as they are issued; the
returns that waited for an invoice have nothing left to credit."""

from __future__ import annotations

from billing.application.crediting import cancel_invoice
from billing.application.ports import UnitOfWork
from billing.domain.returns import NOTHING, ORDER_CANCELLED


async def on_sales_order_cancelled(uow: UnitOfWork, order_id: str) -> None:
    """An order cancelled twice (or an event redelivered) credits nothing more."""
    copy = await uow.orders.get(order_id, lock=True)
    if copy is None or not copy.cancel():
        return
    await uow.orders.save(copy)
    for invoice in await uow.invoices.of_order(order_id):
        await cancel_invoice(uow, invoice)
    await uow.returns.settle_waiting(order_id, NOTHING, ORDER_CANCELLED)
