"""What other services' events tell the connector about its store orders, applied in the
consumer's transaction: an invoice billing issued for one of their sales orders (the store's
payment is recorded on it by the sales sync), a product the catalog gained (the parked orders
selling its SKU are taken up again)."""

from __future__ import annotations

from decimal import Decimal

from woocommerce.application.commands.retry_orders import retry_parked
from woocommerce.application.ports import Orders


async def note_invoice(
    orders: Orders, sales_order_id: str, invoice_id: str, number: str, total: Decimal
) -> bool:
    """True when the invoice is of a store order's sales order (now due to be paid)."""
    held = await orders.of_sales_order(sales_order_id)
    if held is None:
        return False  # another channel's order
    noted = held.invoiced(invoice_id, number, total)
    if noted is not held:
        await orders.save(noted)
    return True


async def note_product(orders: Orders, sku: str) -> int:
    """How many parked orders the catalog's new or changed product lets go on."""
    return await retry_parked(orders, {sku}) if sku else 0
