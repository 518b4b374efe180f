"""The reconciliation pull: every order a store modified since the last pull, page by page,
through the same path as a webhook's snapshot, so whatever a webhook missed is caught. The
cursor moves after each page, so a pull that stops resumes where it stopped."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from servicekit.errors import NotFound
from woocommerce.application.ports import (
    CatalogUnavailable,
    SkuCatalog,
    StoreUnreachable,
    UnitsOfWork,
    WooApi,
)
from woocommerce.application.snapshots import take_snapshot
from woocommerce.domain.webhooks import Outcome
from woocommerce.domain.woo_order import NotAnOrder, gmt

log = logging.getLogger(__name__)

# WooCommerce's date filters are exclusive and to the second, and an order saved while a page is
# read moves behind it: each pull reaches back this far and lets the snapshot rules dedupe.
OVERLAP = timedelta(minutes=5)
BEGINNING = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass
class PullReport:
    store_id: str
    pages: int = 0
    orders: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)


Progress = Callable[[PullReport, int], None]  # the report so far and the total of pages


async def pull_orders(
    units: UnitsOfWork,
    api: WooApi,
    catalog: SkuCatalog,
    store_id: str,
    progress: Progress | None = None,
) -> PullReport:
    async with units() as uow:
        store = await uow.stores.get(store_id)
    if store is None:
        raise NotFound(f"no store {store_id}")
    since = (store.pulled_until or BEGINNING + OVERLAP) - OVERLAP
    report = PullReport(store_id)
    page, total_pages = 1, 1
    while page <= total_pages:
        result = await api.orders_modified_after(store, since, page)
        total_pages = result.total_pages
        latest = store.pulled_until
        for data in result.orders:
            async with units() as uow:
                try:
                    outcome = await take_snapshot(uow, store, data, api, catalog)
                except NotAnOrder as error:
                    log.warning("store %s sent an unreadable order: %s", store_id, error)
                    report.outcomes["not an order"] += 1
                    continue
                except CatalogUnavailable:
                    # kept as received (committed with this unit of work), finished later
                    outcome = Outcome("received")
            report.orders += 1
            report.outcomes[outcome.what] += 1
            modified = gmt(str(data["date_modified_gmt"]))
            latest = modified if latest is None else max(latest, modified)
        if latest is not None:
            async with units() as uow:
                await uow.stores.pulled(store_id, latest)
        report.pages = page
        if progress is not None:
            progress(report, total_pages)
        page += 1
    return report


async def pull_every_store(units: UnitsOfWork, api: WooApi, catalog: SkuCatalog) -> int:
    """The scheduled round: each store in turn; one store's trouble does not stop the others."""
    async with units() as uow:
        stores = await uow.stores.all()
    pulled = 0
    for store in stores:
        try:
            pulled += (await pull_orders(units, api, catalog, store.store_id)).orders
        except StoreUnreachable as error:
            log.warning("pull of store %s stopped: %s", store.store_id, error)
    return pulled
