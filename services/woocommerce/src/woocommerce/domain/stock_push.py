"""Stock out, as rules: a store's available level of a product is the sum over the warehouses it
sells from; levels are written to the entity that holds the stock (a product, or a variation
under its parent, or the parent when the variation inherits its stock), at most 100 items a
call (WooCommerce's batch limit counts create, update and delete together); failed pushes are
tried again later and later."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta

# WooCommerce's `woocommerce_rest_batch_items_limit` default.
BATCH_LIMIT = 100
FIRST_RETRY = timedelta(seconds=5)
LAST_RETRY = timedelta(minutes=30)


def store_level(levels: Mapping[str, int], warehouses: Iterable[str]) -> int:
    """The store's available units: the sum over its warehouses (none below zero)."""
    return max(0, sum(levels.get(w, 0) for w in warehouses))


@dataclass(frozen=True)
class WooItem:
    """Where a SKU's stock lives in the store: a product (parent_id 0) or a variation of
    parent_id that manages its own stock."""

    woo_id: int
    parent_id: int = 0

    @classmethod
    def of(cls, found: Mapping[str, object]) -> WooItem:
        """From a product or variation as GET /products?sku= or /variations answer it: a
        variation whose `manage_stock` is "parent" takes its parent's stock."""
        woo_id = int(str(found["id"]))
        parent = int(str(found.get("parent_id") or 0))
        if found.get("type") == "variation" or parent:
            if found.get("manage_stock") == "parent":
                return cls(parent)
            return cls(woo_id, parent)
        return cls(woo_id)

    @property
    def path(self) -> str:
        """The batch endpoint of the entity, under /wp-json/wc/v3."""
        if self.parent_id:
            return f"/products/{self.parent_id}/variations/batch"
        return "/products/batch"


@dataclass(frozen=True)
class Batch:
    path: str
    update: tuple[Mapping[str, object], ...]

    def body(self) -> dict[str, object]:
        return {"update": list(self.update)}


def batches(levels: Sequence[tuple[WooItem, int]], limit: int = BATCH_LIMIT) -> list[Batch]:
    """The calls that write `levels`: grouped by endpoint, at most `limit` items each, one item
    per entity (the last level given for an entity wins)."""
    by_path: dict[str, dict[int, int]] = {}
    for item, quantity in levels:
        by_path.setdefault(item.path, {})[item.woo_id] = quantity
    found: list[Batch] = []
    for path in sorted(by_path):
        updates = [
            {"id": woo_id, "manage_stock": True, "stock_quantity": quantity}
            for woo_id, quantity in by_path[path].items()
        ]
        for start in range(0, len(updates), limit):
            found.append(Batch(path, tuple(updates[start : start + limit])))
    return found


def backoff(attempts: int) -> timedelta:
    """How long to wait before the next try after `attempts` failed ones: doubling from 5 s,
    at most 30 minutes."""
    if attempts <= 0:
        return timedelta(0)
    doubled: timedelta = FIRST_RETRY * (2 ** min(attempts - 1, 20))
    return min(LAST_RETRY, doubled)


@dataclass(frozen=True)
class Shipped:
    """What a store learns of a shipment: its order's status and a note with the tracking."""

    store_id: str
    woo_order_id: int
    complete: bool
    note: str


def woo_order_key(external_reference: str) -> tuple[str, int] | None:
    """(store, Woo order id) from a sales order's external reference "<store>:<woo id>"."""
    store_id, sep, number = external_reference.rpartition(":")
    if not sep or not store_id or not number.isdigit():
        return None
    return store_id, int(number)


def shipment_note(carrier: str, tracking_number: str) -> str:
    note = f"Shipped with {carrier or 'a carrier'}"
    if tracking_number:
        note += f", tracking number {tracking_number}"
    return note + "."
