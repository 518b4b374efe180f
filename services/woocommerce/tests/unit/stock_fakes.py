"""Stock out's ports in memory: the records, a unit of work over them and the stores, a store
API that records what it was sent (and fails when told), the catalog's SKUs and order links."""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from types import TracebackType
from typing import Any

from services.woocommerce.tests.unit.fakes import FakeStores, State
from woocommerce.application.ports import CatalogUnavailable, StoreUnreachable
from woocommerce.application.stock_ports import DuePush
from woocommerce.domain.stock_push import Batch, WooItem
from woocommerce.domain.stores import Store


@dataclass
class StockState:
    levels: dict[tuple[str, str], int] = field(default_factory=dict)
    # (store, product) -> [attempts, due_at, last error]
    pushes: dict[tuple[str, str], list[Any]] = field(default_factory=dict)
    items: dict[tuple[str, str], WooItem] = field(default_factory=dict)


class FakeStockRecords:
    def __init__(self, state: StockState) -> None:
        self.state = state

    async def set_level(self, product_id: str, warehouse_id: str, available: int) -> None:
        self.state.levels[(product_id, warehouse_id)] = available

    async def levels(self, product_id: str) -> dict[str, int]:
        return {w: n for (p, w), n in self.state.levels.items() if p == product_id}

    async def mark(self, store_id: str, product_id: str, due_at: datetime) -> None:
        self.state.pushes.setdefault((store_id, product_id), [0, due_at, None])

    async def due(self, now: datetime, limit: int) -> list[DuePush]:
        found = sorted((row[1], s, p, row[0]) for (s, p), row in self.state.pushes.items()
                       if row[1] <= now)  # fmt: skip
        return [DuePush(s, p, attempts) for _, s, p, attempts in found[:limit]]

    async def pushed(self, store_id: str, product_ids: Sequence[str]) -> None:
        for product_id in product_ids:
            self.state.pushes.pop((store_id, product_id), None)

    async def failed(
        self, store_id: str, product_ids: Sequence[str], due_at: datetime, error: str
    ) -> None:
        for product_id in product_ids:
            row = self.state.pushes[(store_id, product_id)]
            row[:] = [row[0] + 1, due_at, error]

    async def item(self, store_id: str, sku: str) -> WooItem | None:
        return self.state.items.get((store_id, sku))

    async def remember(self, store_id: str, sku: str, item: WooItem) -> None:
        self.state.items[(store_id, sku)] = item


class FakeStockUnit:
    def __init__(self, owner: FakeStock) -> None:
        self.owner = owner
        self.state = copy.deepcopy(owner.state)
        self.shared = copy.deepcopy(owner.stores_state)
        self.stores = FakeStores(self.shared)
        self.stock = FakeStockRecords(self.state)

    async def __aenter__(self) -> FakeStockUnit:
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if error is None:
            self.owner.state = self.state
            self.owner.stores_state = self.shared


class FakeStock:
    """The database: each call a unit of work on a copy, committed when its block ends well."""

    def __init__(self, stores: Sequence[Store] = ()) -> None:
        self.state = StockState()
        self.stores_state = State(stores={s.store_id: s for s in stores})

    def __call__(self) -> FakeStockUnit:
        return FakeStockUnit(self)


class FakeWrites:
    def __init__(self, items: Mapping[str, Mapping[str, Any]] = ()) -> None:  # type: ignore[assignment]
        self.items = dict(items)  # sku -> the product or variation the store answers
        self.looked_up: list[str] = []
        self.batches: list[Batch] = []
        self.orders: list[tuple[int, Mapping[str, Any]]] = []
        self.notes: list[tuple[int, str]] = []
        self.failures = 0  # the next calls that fail (a 503)
        self.refuse: dict[int, str] = {}

    def _maybe_fail(self) -> None:
        if self.failures:
            self.failures -= 1
            raise StoreUnreachable("store answered 503")

    async def find_sku(self, store: Store, sku: str) -> Mapping[str, Any] | None:
        self.looked_up.append(sku)
        self._maybe_fail()
        return self.items.get(sku)

    async def batch(self, store: Store, batch: Batch) -> Mapping[int, str]:
        self._maybe_fail()
        self.batches.append(batch)
        return {u["id"]: self.refuse[u["id"]] for u in batch.update if u["id"] in self.refuse}  # type: ignore[index]

    async def update_order(self, store: Store, order_id: int, changes: Mapping[str, Any]) -> None:
        self._maybe_fail()
        self.orders.append((order_id, dict(changes)))

    async def add_note(self, store: Store, order_id: int, note: str) -> None:
        self._maybe_fail()
        self.notes.append((order_id, note))


class FakeSkus:
    def __init__(self, skus: Mapping[str, str], available: bool = True) -> None:
        self.skus = dict(skus)
        self.available = available

    async def skus_of(self, product_ids: Sequence[str]) -> Mapping[str, str]:
        if not self.available:
            raise CatalogUnavailable("catalog down")
        return {p: self.skus[p] for p in product_ids if p in self.skus}


class FakeLinks:
    def __init__(self, links: Mapping[str, tuple[str, int]]) -> None:
        self.links = dict(links)

    async def woo_order_of(self, sales_order_id: str) -> tuple[str, int] | None:
        return self.links.get(sales_order_id)
