"""The connector's ports in memory, for use-case tests in milliseconds. The fakes pass the same
contract as the PostgreSQL adapters (tests/repository_contracts.py), so they cannot drift.

`FakeConnector()` is the database: calling it starts a unit of work on a copy of the committed
state, committed when its block ends normally."""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from decimal import Decimal
from types import TracebackType
from typing import Any

from woocommerce.application.ports import CatalogUnavailable, OrderPage, StoreUnreachable
from woocommerce.domain.connector_orders import ConnectorOrder, OrderState
from woocommerce.domain.stores import Store
from woocommerce.domain.webhooks import Delivery, Outcome


@dataclass
class State:
    stores: dict[str, Store] = field(default_factory=dict)
    deliveries: list[dict[str, Any]] = field(default_factory=list)
    orders: dict[tuple[str, int], ConnectorOrder] = field(default_factory=dict)
    customers: dict[tuple[str, str], str] = field(default_factory=dict)


class FakeStores:
    def __init__(self, state: State) -> None:
        self.state = state

    async def add(self, store: Store) -> None:
        self.state.stores[store.store_id] = store

    async def get(self, store_id: str) -> Store | None:
        return self.state.stores.get(store_id)

    async def all(self) -> list[Store]:
        return [self.state.stores[k] for k in sorted(self.state.stores)]

    async def pulled(self, store_id: str, until: datetime) -> None:
        self.state.stores[store_id] = replace(self.state.stores[store_id], pulled_until=until)


class FakeDeliveries:
    def __init__(self, state: State, clock: FakeClock) -> None:
        self.state = state
        self.clock = clock

    async def add(self, delivery: Delivery) -> bool:
        key = (delivery.store_id, delivery.delivery_id, delivery.body_fingerprint)
        if any(row["key"] == key for row in self.state.deliveries):
            return False
        number = len(self.state.deliveries) + 1
        self.state.deliveries.append(
            {"key": key, "delivery": replace(delivery, number=number), "outcome": None,
             "attempts": 0, "due": delivery.received_at, "error": None}
        )  # fmt: skip
        return True

    async def claim(self, limit: int) -> list[Delivery]:
        due = [
            row["delivery"]
            for row in self.state.deliveries
            if row["outcome"] is None and row["due"] <= self.clock.now
        ]
        return due[:limit]

    def _row(self, delivery: Delivery) -> dict[str, Any]:
        return self.state.deliveries[delivery.number - 1]

    async def done(self, delivery: Delivery, outcome: Outcome) -> None:
        self._row(delivery)["outcome"] = outcome.what + (
            f": {outcome.detail}" if outcome.detail else ""
        )

    async def failed(self, delivery: Delivery, error: str) -> None:
        row = self._row(delivery)
        row["attempts"] += 1
        row["error"] = error
        row["due"] = self.clock.now + timedelta(seconds=5 * 2 ** (row["attempts"] - 1))


class FakeOrders:
    def __init__(self, state: State) -> None:
        self.state = state

    async def get(self, store_id: str, woo_order_id: int) -> ConnectorOrder | None:
        return self.state.orders.get((store_id, woo_order_id))

    async def save(self, order: ConnectorOrder) -> None:
        key = (order.store_id, order.woo_order_id)
        held = self.state.orders.get(key)
        if held is not None:  # the sales link only ever grows (adapters/orders.py)
            order = replace(
                order,
                sales_order_id=order.sales_order_id or held.sales_order_id,
                sales_state=order.sales_state or held.sales_state,
                credited=max(order.credited, held.credited, key=len),
                invoices=max(order.invoices, held.invoices, key=len),
                payments=max(order.payments, held.payments, key=len),
            )
        self.state.orders[key] = order

    async def waiting(self, limit: int) -> list[ConnectorOrder]:
        found = [o for o in self.state.orders.values() if o.state is OrderState.RECEIVED]
        return found[:limit]

    async def of_store(self, store_id: str) -> list[ConnectorOrder]:
        return [o for (s, _), o in sorted(self.state.orders.items()) if s == store_id]

    async def due(self, limit: int) -> list[ConnectorOrder]:
        found = [o for o in self.state.orders.values() if o.sync_due and o.placeable]
        return found[:limit]

    async def of_sales_order(self, sales_order_id: str) -> ConnectorOrder | None:
        found = [o for o in self.state.orders.values() if o.sales_order_id == sales_order_id]
        return found[0] if sales_order_id and found else None

    async def listed(
        self, store_id: str, state: OrderState | None, after: tuple[str, int] | None, limit: int
    ) -> list[ConnectorOrder]:
        found = [
            o
            for key, o in sorted(self.state.orders.items())
            if (not store_id or key[0] == store_id)
            and (state is None or o.state is state)
            and (after is None or key > after)
        ]
        return found[:limit]

    async def parked(self, store_id: str = "") -> list[ConnectorOrder]:
        return [
            o
            for (s, _), o in sorted(self.state.orders.items())
            if o.state is OrderState.PARKED and (not store_id or s == store_id)
        ]


class FakeCustomers:
    def __init__(self, state: State) -> None:
        self.state = state

    async def get(self, store_id: str, key: str) -> str | None:
        return self.state.customers.get((store_id, key))

    async def add(self, store_id: str, key: str, customer_id: str) -> None:
        self.state.customers.setdefault((store_id, key), customer_id)


@dataclass
class FakeClock:
    now: datetime


class FakeUnitOfWork:
    def __init__(self, connector: FakeConnector) -> None:
        self.connector = connector
        self.state = copy.deepcopy(connector.state)
        self.stores = FakeStores(self.state)
        self.deliveries = FakeDeliveries(self.state, connector.clock)
        self.orders = FakeOrders(self.state)
        self.customers = FakeCustomers(self.state)

    async def __aenter__(self) -> FakeUnitOfWork:
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if error is None:
            self.connector.state = self.state


class FakeConnector:
    def __init__(self, clock: FakeClock) -> None:
        self.state = State()
        self.clock = clock

    def __call__(self) -> FakeUnitOfWork:
        return FakeUnitOfWork(self)


class FakeSkuCatalog:
    def __init__(self, products: Mapping[str, str], available: bool = True) -> None:
        self.products = dict(products)
        self.available = available
        self.asked: list[list[str]] = []

    async def products_by_sku(self, skus: Sequence[str]) -> Mapping[str, str]:
        self.asked.append(list(skus))
        if not self.available:
            raise CatalogUnavailable("catalog down")
        return {s: self.products[s] for s in skus if s in self.products}


class FakeWooApi:
    """The store's current orders; pages of `page_size`."""

    def __init__(self, orders: Sequence[Mapping[str, Any]] = (), page_size: int = 100) -> None:
        self.orders = {o["id"]: json.loads(json.dumps(o), parse_float=Decimal) for o in orders}
        self.page_size = page_size
        self.down = False
        self.failing_pages: set[int] = set()
        self.fetched: list[int] = []
        self.listed: list[tuple[datetime, int]] = []

    async def order(self, store: Store, order_id: int) -> Mapping[str, Any] | None:
        self.fetched.append(order_id)
        if self.down:
            raise StoreUnreachable("store down")
        return self.orders.get(order_id)

    async def orders_modified_after(self, store: Store, after: datetime, page: int) -> OrderPage:
        from woocommerce.domain.woo_order import gmt

        self.listed.append((after, page))
        if page in self.failing_pages:
            raise StoreUnreachable(f"page {page}: 502")
        found = sorted(
            (o for o in self.orders.values() if gmt(o["date_modified_gmt"]) > after),
            key=lambda o: (o["date_modified_gmt"], o["id"]),
        )
        pages = max(1, -(-len(found) // self.page_size))
        return OrderPage(found[(page - 1) * self.page_size : page * self.page_size], pages)
