"""What stock out and shipment push need from the world: the levels inventory announced and the
pushes still to make (one transaction), the store's REST API for writing, and the catalog's SKU
of a product. Kept apart from ports.py: these use cases share only the stores with the order
intake."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from types import TracebackType
from typing import Any, Protocol

from woocommerce.application.ports import Stores
from woocommerce.domain.stock_push import Batch, WooItem
from woocommerce.domain.stores import Store


@dataclass(frozen=True)
class DuePush:
    """A (store, product) whose level is to be written to the store."""

    store_id: str
    product_id: str
    attempts: int


class StockRecords(Protocol):
    async def set_level(self, product_id: str, warehouse_id: str, available: int) -> None: ...

    async def levels(self, product_id: str) -> dict[str, int]:
        """warehouse -> the last available level announced."""
        ...

    async def mark(self, store_id: str, product_id: str, due_at: datetime) -> None:
        """A push to make at `due_at`; a push already pending keeps its time (coalescing)."""
        ...

    async def due(self, now: datetime, limit: int) -> list[DuePush]:
        """Pushes due by `now`, oldest first, locked for this transaction."""
        ...

    async def pushed(self, store_id: str, product_ids: Sequence[str]) -> None: ...

    async def failed(
        self, store_id: str, product_ids: Sequence[str], due_at: datetime, error: str
    ) -> None: ...

    async def item(self, store_id: str, sku: str) -> WooItem | None:
        """The store's entity holding the SKU's stock, as last found."""
        ...

    async def remember(self, store_id: str, sku: str, item: WooItem) -> None: ...


class StockUnitOfWork(Protocol):
    @property
    def stores(self) -> Stores: ...
    @property
    def stock(self) -> StockRecords: ...

    async def __aenter__(self) -> StockUnitOfWork: ...
    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None: ...


class StockUnits(Protocol):
    def __call__(self) -> StockUnitOfWork: ...


class WooWrites(Protocol):
    """The store's REST API for what the connector writes; StoreUnreachable on transport errors,
    5xx, 401/403 and 429 (worth trying again)."""

    async def find_sku(self, store: Store, sku: str) -> Mapping[str, Any] | None:
        """The product or variation with the SKU (GET /products?sku=), None when none has it."""
        ...

    async def batch(self, store: Store, batch: Batch) -> Mapping[int, str]:
        """Writes one batch; the items the store refused (woo id -> its error message)."""
        ...

    async def update_order(
        self, store: Store, order_id: int, changes: Mapping[str, Any]
    ) -> None: ...

    async def add_note(self, store: Store, order_id: int, note: str) -> None: ...


class ProductSkus(Protocol):
    async def skus_of(self, product_ids: Sequence[str]) -> Mapping[str, str]:
        """product id -> SKU for the products the catalog knows; CatalogUnavailable when it
        cannot be asked."""
        ...
