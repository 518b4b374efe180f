"""A payment on a paid invoice of the order was taken back (billing's InvoiceReopened): the order
is no longer paid -- paid or closed goes back to invoiced, with the reason in its journal."""

from __future__ import annotations

from orders.application.ports import Deps, UnitOfWork
from orders.application.reactions.saga import order_for, pipeline_for
from orders.application.recording import record_changed


async def on_invoice_reopened(
    deps: Deps, uow: UnitOfWork, order_id: str, invoice_id: str, balance: str
) -> None:
    """`order_id` empty: an invoice made from a quote, no order of ours."""
    if not order_id:
        return
    order = await order_for(uow, order_id)
    why = f"invoice {invoice_id} open again for {balance}"
    events = order.invoice_reopened(await pipeline_for(deps, uow, order), why)
    await record_changed(uow, order, events)
