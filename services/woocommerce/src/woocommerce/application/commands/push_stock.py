"""Stock out. Each available level inventory announces is kept, and every store selling from
that warehouse gets a pending push for the product, due a little later: rapid changes coalesce
into one row per (store, product). The flush writes the due levels (the sum over each store's
warehouses) to the entity holding the stock, found by SKU once and remembered, in batches of
at most 100; what fails is tried again with growing delays."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from datetime import datetime

from woocommerce.application.ports import CatalogUnavailable, StoreUnreachable
from woocommerce.application.stock_ports import (
    DuePush,
    ProductSkus,
    StockUnitOfWork,
    StockUnits,
    WooWrites,
)
from woocommerce.domain.stock_push import WooItem, backoff, batches, store_level
from woocommerce.domain.stores import Store

log = logging.getLogger(__name__)


async def note_stock_change(
    units: StockUnits,
    product_id: str,
    warehouse_id: str,
    available: int,
    due_at: datetime,
) -> int:
    """Keeps the level and marks the product for every store selling from the warehouse; the
    number of stores marked."""
    async with units() as uow:
        await uow.stock.set_level(product_id, warehouse_id, available)
        marked = 0
        for store in await uow.stores.all():
            if warehouse_id in store.warehouses:
                await uow.stock.mark(store.store_id, product_id, due_at)
                marked += 1
        return marked


async def flush_stock(
    units: StockUnits, api: WooWrites, catalog: ProductSkus, now: datetime, limit: int = 1000
) -> int:
    """Pushes what is due; the number of (store, product) levels written."""
    async with units() as uow:
        due = await uow.stock.due(now, limit)
        if not due:
            return 0
        try:
            skus = await catalog.skus_of(sorted({d.product_id for d in due}))
        except CatalogUnavailable as error:
            await _failed(uow, due, now, str(error))
            return 0
        written = 0
        for store_id in sorted({d.store_id for d in due}):
            store = await uow.stores.get(store_id)
            mine = [d for d in due if d.store_id == store_id]
            if store is None:
                await uow.stock.pushed(store_id, [d.product_id for d in mine])
                continue
            written += await _push_store(uow, api, store, mine, skus, now)
        return written


async def _push_store(
    uow: StockUnitOfWork,
    api: WooWrites,
    store: Store,
    due: Sequence[DuePush],
    skus: Mapping[str, str],
    now: datetime,
) -> int:
    levels: list[tuple[WooItem, int]] = []
    holders: dict[WooItem, list[DuePush]] = {}
    for push in due:
        item = await _item(uow, api, store, skus.get(push.product_id), push, now)
        if item is None:
            continue
        quantity = store_level(await uow.stock.levels(push.product_id), store.warehouses)
        levels.append((item, quantity))
        holders.setdefault(item, []).append(push)
    written = 0
    for batch in batches(levels):
        pushes = [p for u in batch.update for p in holders[_item_of(batch.path, u)]]
        try:
            refused = await api.batch(store, batch)
        except StoreUnreachable as error:
            await _failed(uow, pushes, now, str(error))
            continue
        failed = [p for u in batch.update if u["id"] in refused
                  for p in holders[_item_of(batch.path, u)]]  # fmt: skip
        if failed:
            await _failed(uow, failed, now, "; ".join(sorted(set(refused.values()))))
        done = [p for p in pushes if p not in failed]
        await uow.stock.pushed(store.store_id, [p.product_id for p in done])
        written += len(done)
    return written


def _item_of(path: str, update: Mapping[str, object]) -> WooItem:
    parent = 0 if path == "/products/batch" else int(path.split("/")[2])
    return WooItem(int(str(update["id"])), parent)


async def _item(
    uow: StockUnitOfWork,
    api: WooWrites,
    store: Store,
    sku: str | None,
    push: DuePush,
    now: datetime,
) -> WooItem | None:
    """The store's entity for the product's SKU; None (and the push settled) when there is
    nothing to write to."""
    if sku is None:
        log.warning("stock of %s not pushed to %s: no SKU", push.product_id, store.store_id)
        await uow.stock.pushed(store.store_id, [push.product_id])
        return None
    item = await uow.stock.item(store.store_id, sku)
    if item is not None:
        return item
    try:
        found = await api.find_sku(store, sku)
    except StoreUnreachable as error:
        await _failed(uow, [push], now, str(error))
        return None
    if found is None:
        log.info("store %s does not sell SKU %s: no stock pushed", store.store_id, sku)
        await uow.stock.pushed(store.store_id, [push.product_id])
        return None
    item = WooItem.of(found)
    await uow.stock.remember(store.store_id, sku, item)
    return item


async def _failed(uow: StockUnitOfWork, due: Sequence[DuePush], now: datetime, error: str) -> None:
    by_attempts: dict[tuple[str, int], list[str]] = {}
    for push in due:
        by_attempts.setdefault((push.store_id, push.attempts), []).append(push.product_id)
    for (store_id, attempts), products in by_attempts.items():
        due_at = now + backoff(attempts + 1)
        await uow.stock.failed(store_id, products, due_at, error[:500])
    log.warning("stock push failed for %d product(s): %s", len(due), error)
