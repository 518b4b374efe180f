"""Shipments back to the store: when goods of a store's order leave a warehouse, the store's
order gets a note with the carrier and tracking number; when the sales order is shipped in full,
the store's order is `completed`. Sales orders of other channels are none of the connector's
business. A store that does not answer raises StoreUnreachable: the event is tried again."""

from __future__ import annotations

import logging
from typing import Protocol

from woocommerce.application.stock_ports import StockUnits, WooWrites
from woocommerce.domain.stock_push import shipment_note
from woocommerce.domain.stores import Store

log = logging.getLogger(__name__)

# The sales order's status once every line left (orders' pipeline).
SHIPPED = "shipped"


class WooOrderLinks(Protocol):
    async def woo_order_of(self, sales_order_id: str) -> tuple[str, int] | None:
        """(store, Woo order id) of a sales order of channel woocommerce; None for others."""
        ...


async def push_tracking(
    units: StockUnits,
    api: WooWrites,
    links: WooOrderLinks,
    sales_order_id: str,
    carrier: str,
    tracking_number: str,
) -> bool:
    """Adds the tracking note to the store's order; False when the order is not a store's."""
    found = await _store_order(units, links, sales_order_id)
    if found is None:
        return False
    store, woo_order_id = found
    await api.add_note(store, woo_order_id, shipment_note(carrier, tracking_number))
    return True


def completes_store_order(status: str) -> bool:
    """Whether a sales order moving to `status` completes its store's order (any other move is
    none of the store's business: the connector skips it unread)."""
    return status == SHIPPED


async def push_status(
    units: StockUnits, api: WooWrites, links: WooOrderLinks, sales_order_id: str, status: str
) -> bool:
    """Completes the store's order when the sales order is shipped in full."""
    if not completes_store_order(status):
        return False
    found = await _store_order(units, links, sales_order_id)
    if found is None:
        return False
    store, woo_order_id = found
    await api.update_order(store, woo_order_id, {"status": "completed"})
    return True


async def _store_order(
    units: StockUnits, links: WooOrderLinks, sales_order_id: str
) -> tuple[Store, int] | None:
    key = await links.woo_order_of(sales_order_id)
    if key is None:
        return None
    async with units() as uow:
        store = await uow.stores.get(key[0])
    if store is None:
        log.warning("sales order %s names store %s, which is not kept", sales_order_id, key[0])
        return None
    return store, key[1]
