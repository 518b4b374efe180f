"""A sales channel's own service (its subject the channel's name, e.g. `woocommerce`) moves money
only on the orders of its channel: the payments its store collected, the refunds its store made.
People and other callers are not limited here; the access table decides what they may call."""

from __future__ import annotations

from billing.application.ports import UnitOfWork
from servicekit.context import current_principal
from servicekit.errors import PermissionDenied


def calling_channel() -> str:
    """The channel a service caller speaks for; "" for a person."""
    who = current_principal()
    return who.subject if "service" in who.roles else ""


async def check_channel_order(uow: UnitOfWork, order_id: str, field: str) -> None:
    """PermissionDenied unless a channel's service names an order of its own channel."""
    channel = calling_channel()
    if not channel:
        return
    copy = await uow.orders.get(order_id) if order_id else None
    if copy is None or copy.channel != channel:
        raise PermissionDenied(f"{field}: not an order of channel {channel}")


async def check_channel_invoice(uow: UnitOfWork, invoice_id: str) -> None:
    """PermissionDenied unless a channel's service names an invoice of its channel's orders."""
    if not calling_channel():
        return
    invoice = await uow.invoices.get(invoice_id) if invoice_id else None
    await check_channel_order(uow, invoice.order_id if invoice else "", "invoice_id")
