"""What the connector's use cases need from the world, as Protocols: its own records in one
transaction, the store's REST API, and the catalog's SKUs."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from types import TracebackType
from typing import Any, Protocol

from woocommerce.domain.connector_orders import ConnectorOrder, OrderState
from woocommerce.domain.stores import Store
from woocommerce.domain.webhooks import Delivery, Outcome


class Stores(Protocol):
    async def add(self, store: Store) -> None: ...
    async def get(self, store_id: str) -> Store | None: ...
    async def all(self) -> list[Store]: ...
    async def pulled(self, store_id: str, until: datetime) -> None: ...


class Deliveries(Protocol):
    async def add(self, delivery: Delivery) -> bool:
        """False when the same delivery (id and body) is already kept."""
        ...

    async def claim(self, limit: int) -> list[Delivery]:
        """Unprocessed deliveries, oldest first, locked for this transaction."""
        ...

    async def done(self, delivery: Delivery, outcome: Outcome) -> None: ...
    async def failed(self, delivery: Delivery, error: str) -> None: ...


class Orders(Protocol):
    async def get(self, store_id: str, woo_order_id: int) -> ConnectorOrder | None: ...
    async def save(self, order: ConnectorOrder) -> None: ...
    async def of_store(self, store_id: str) -> list[ConnectorOrder]: ...
    async def waiting(self, limit: int) -> list[ConnectorOrder]:
        """Orders still `received` (their SKUs could not be looked up yet), oldest first."""
        ...

    async def due(self, limit: int) -> list[ConnectorOrder]:
        """Mapped and review orders whose sales order has to catch up, oldest first, locked."""
        ...

    async def of_sales_order(self, sales_order_id: str) -> ConnectorOrder | None:
        """The order that became this sales order, locked; None for another channel's."""
        ...

    async def parked(self, store_id: str = "") -> list[ConnectorOrder]:
        """Parked orders (of one store, or all), locked."""
        ...

    async def listed(
        self, store_id: str, state: OrderState | None, after: tuple[str, int] | None, limit: int
    ) -> list[ConnectorOrder]:
        """Orders of one store ("" every store) in one state (None any), by store and order id,
        the first `limit` after the (store, order id) `after`."""
        ...


class UnitOfWork(Protocol):
    @property
    def stores(self) -> Stores: ...
    @property
    def deliveries(self) -> Deliveries: ...
    @property
    def orders(self) -> Orders: ...

    async def __aenter__(self) -> UnitOfWork: ...
    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None: ...


class UnitsOfWork(Protocol):
    def __call__(self) -> UnitOfWork: ...


@dataclass(frozen=True)
class OrderPage:
    """One page of orders as the store sent them, with its X-WP-TotalPages."""

    orders: Sequence[Mapping[str, Any]]
    total_pages: int


class StoreUnreachable(Exception):
    """The store's REST API did not answer as expected (transport error, 5xx, 401...)."""


class WooApi(Protocol):
    async def order(self, store: Store, order_id: int) -> Mapping[str, Any] | None:
        """The order as the store has it now; None when it no longer exists."""
        ...

    async def orders_modified_after(
        self, store: Store, after: datetime, page: int
    ) -> OrderPage: ...


class CatalogUnavailable(Exception):
    """The catalog could not be asked; the order waits (received) and is tried again."""


class SkuCatalog(Protocol):
    async def products_by_sku(self, skus: Sequence[str]) -> Mapping[str, str]:
        """SKU -> product id for the SKUs the catalog knows (variants included)."""
        ...
