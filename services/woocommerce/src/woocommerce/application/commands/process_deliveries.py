"""The worker over kept deliveries: each in a transaction of its own, oldest first. A delivery
whose store cannot be reached is tried again later (with backoff); an order whose SKUs the catalog
cannot look up yet is kept as received and finished once it can; a delivery that can never be
applied is recorded as such, never dropped silently."""

from __future__ import annotations

import logging
from typing import Any

from woocommerce.application.ports import (
    CatalogUnavailable,
    SkuCatalog,
    StoreUnreachable,
    UnitOfWork,
    UnitsOfWork,
    WooApi,
)
from woocommerce.application.snapshots import decode, finish_waiting, take_snapshot
from woocommerce.domain.webhooks import Delivery, Outcome
from woocommerce.domain.woo_order import NotAnOrder

log = logging.getLogger(__name__)


async def process_deliveries(
    units: UnitsOfWork, api: WooApi, catalog: SkuCatalog, limit: int = 50
) -> int:
    """Processes up to `limit` due deliveries; returns how many it finished."""
    finished = 0
    for _ in range(limit):
        async with units() as uow:
            claimed = await uow.deliveries.claim(1)
            if not claimed:
                break
            delivery = claimed[0]
            try:
                outcome = await _process(uow, delivery, api, catalog)
            except CatalogUnavailable as error:
                # the order is kept as received: finish_waiting_orders finishes it
                outcome = Outcome("received", str(error))
            except StoreUnreachable as error:
                log.warning("delivery %s waits: %s", delivery.number, error)
                await uow.deliveries.failed(delivery, f"{type(error).__name__}: {error}")
                continue
            await uow.deliveries.done(delivery, outcome)
            finished += 1
    return finished


async def finish_waiting_orders(units: UnitsOfWork, catalog: SkuCatalog, limit: int = 50) -> int:
    """Orders kept as received while the catalog could not be asked: resolved once it can."""
    finished = 0
    try:
        async with units() as uow:
            for held in await uow.orders.waiting(limit):
                await finish_waiting(uow, catalog, held)
                finished += 1
    except CatalogUnavailable as error:
        log.info("orders waiting for the catalog: %s", error)
    return finished


async def _process(
    uow: UnitOfWork, delivery: Delivery, api: WooApi, catalog: SkuCatalog
) -> Outcome:
    store = await uow.stores.get(delivery.store_id)
    if store is None:
        return Outcome("no store", "the store was removed")
    if delivery.topic == "order.deleted":
        return await _trash(uow, delivery)
    data: Any = decode(delivery.body)
    try:
        outcome = await take_snapshot(uow, store, data, api, catalog)
    except NotAnOrder as error:
        # e.g. the REST error WooCommerce signs when the webhook's user lost its rights
        if delivery.resource_id is None:
            return Outcome("not an order", str(error))
        current = await api.order(store, delivery.resource_id)
        if current is None:
            return Outcome("not an order", str(error))
        outcome = await take_snapshot(uow, store, current, api, catalog)
    if delivery.topic == "order.restored" and delivery.resource_id is not None:
        held = await uow.orders.get(store.store_id, delivery.resource_id)
        if held is not None and held.trashed:
            await uow.orders.save(held.restored())
            return Outcome("restored", outcome.what)
    return outcome


async def _trash(uow: UnitOfWork, delivery: Delivery) -> Outcome:
    """`order.deleted` carries only the id: the order is marked as in the store's trash."""
    if delivery.resource_id is None:
        return Outcome("not an order", "order.deleted without an id")
    held = await uow.orders.get(delivery.store_id, delivery.resource_id)
    if held is None:
        return Outcome("unknown order", "deleted before the connector saw it")
    if held.trashed:
        return Outcome("duplicate")
    await uow.orders.save(held.moved_to_trash())
    return Outcome("trashed")
