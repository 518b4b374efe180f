"""One path for every snapshot of an order, whether a webhook brought it or a pull found it:
keep it only if the store modified the order after the one held, then resolve its SKUs and
check its figures."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from woocommerce.application.ports import CatalogUnavailable, SkuCatalog, UnitOfWork, WooApi
from woocommerce.domain.connector_orders import (
    Arrival,
    ConnectorOrder,
    OrderState,
    arrival_of,
    unknown_skus,
)
from woocommerce.domain.pricing_map import reproduce
from woocommerce.domain.stores import Store
from woocommerce.domain.webhooks import Outcome, fingerprint
from woocommerce.domain.woo_order import WooOrder, read_order

# Fields that change on every read without the order changing (WordPress adds link hints).
_VOLATILE = ("_links",)


def decode(body: bytes | str) -> Any:
    """JSON with every number that has a fraction read as Decimal, never float."""
    return json.loads(body, parse_float=Decimal)


def content_fingerprint(snapshot: Mapping[str, Any]) -> str:
    kept = {k: v for k, v in snapshot.items() if k not in _VOLATILE}
    return fingerprint(json.dumps(kept, sort_keys=True, default=str).encode())


@dataclass(frozen=True)
class Snapshot:
    data: Mapping[str, Any]
    order: WooOrder

    @classmethod
    def of(cls, data: Mapping[str, Any]) -> Snapshot:
        return cls(data, read_order(data))


async def take_snapshot(
    uow: UnitOfWork,
    store: Store,
    data: Mapping[str, Any],
    api: WooApi,
    catalog: SkuCatalog,
) -> Outcome:
    """Applies one snapshot of an order; the outcome says what it did."""
    snapshot = Snapshot.of(data)
    if snapshot.order.is_draft:
        return Outcome("ignored", f"a {snapshot.order.status} order is not placed yet")
    held = await uow.orders.get(store.store_id, snapshot.order.order_id)
    arrival = arrival_of(held, snapshot.order.date_modified_gmt, content_fingerprint(data))
    if arrival is Arrival.IN_DOUBT:
        # the same modification second with other content: the store's current order decides
        current = await api.order(store, snapshot.order.order_id)
        if current is None:
            return Outcome("in doubt", "the store no longer has the order")
        snapshot = Snapshot.of(current)
        arrival = arrival_of(held, snapshot.order.date_modified_gmt, content_fingerprint(current))
        if arrival is Arrival.IN_DOUBT:
            arrival = Arrival.NEWER  # the store's own answer wins a tie
    unfinished = held is not None and held.state is OrderState.RECEIVED
    if arrival is Arrival.STALE or (arrival is Arrival.SAME and not unfinished):
        return Outcome("duplicate" if arrival is Arrival.SAME else "stale")
    received = _received(store, snapshot, held)
    try:
        order = await _resolved(received, snapshot.order, store, catalog)
    except CatalogUnavailable:
        # kept as received, so a repeat of this very snapshot still finishes it
        await uow.orders.save(received)
        raise
    await uow.orders.save(order)
    return Outcome(order.state.value, order.reason or "; ".join(order.differences))


async def finish_waiting(uow: UnitOfWork, catalog: SkuCatalog, held: ConnectorOrder) -> Outcome:
    """Resolves an order kept as received from its stored snapshot, now the catalog answers."""
    store = await uow.stores.get(held.store_id)
    if store is None:
        return Outcome("no store")
    order = await _resolved(held, read_order(decode(held.body)), store, catalog)
    await uow.orders.save(order)
    return Outcome(order.state.value)


def _received(store: Store, snapshot: Snapshot, held: ConnectorOrder | None) -> ConnectorOrder:
    order = snapshot.order
    return ConnectorOrder(
        store_id=store.store_id,
        woo_order_id=order.order_id,
        number=order.number,
        woo_status=order.status,
        date_modified_gmt=order.date_modified_gmt,
        fingerprint=content_fingerprint(snapshot.data),
        currency=order.currency,
        total=order.totals.total,
        state=OrderState.RECEIVED,
        trashed=held.trashed if held else False,
        body=json.dumps(snapshot.data, default=str),
        sales_order_id=held.sales_order_id if held else "",
        sales_state=held.sales_state if held else "",
        credited=held.credited if held else (),
        invoices=held.invoices if held else (),
        payments=held.payments if held else (),
    )


async def _resolved(
    received: ConnectorOrder, order: WooOrder, store: Store, catalog: SkuCatalog
) -> ConnectorOrder:
    skus = [item.sku for item in order.line_items]
    products = await catalog.products_by_sku(sorted({s for s in skus if s}))
    reason = unknown_skus(skus, set(products))
    if reason:
        return received.parked(reason)
    reproduction = reproduce(order, store, products)
    if reproduction.differences:
        return received.in_review(reproduction.differences)
    return received.mapped()
