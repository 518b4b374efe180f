"""Inventory on fakes, wired as bootstrap wires the real thing, with helpers that say what a test
needs in a line: a warehouse, a product of the catalog, stock, an order placed."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any, TypeVar

from inventory.application.commands.adjust_stock import AdjustStock, adjust_stock
from inventory.application.commands.create_warehouse import CreateWarehouse, create_warehouse
from inventory.application.ports import CatalogProduct
from inventory.application.queries.reservations import Ledger, list_reservations
from inventory.application.queries.stock import StockPosition, read_level
from inventory.application.reactions.on_sales_order_approved import (
    OrderApproved,
    on_sales_order_approved,
)
from inventory.application.reactions.on_sales_order_placed import (
    OrderPlaced,
    on_sales_order_placed,
)
from inventory.application.rules import ReservationRules
from inventory.domain.allocation import Policy
from inventory.domain.events import Published
from inventory.domain.reservation import OrderedLine
from services.inventory.tests.unit.fakes import FakeCatalog, FakeDatabase, FakeUnitOfWork

E = TypeVar("E")
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def placed(*lines: tuple[str, int], placed_at: datetime = NOW) -> OrderPlaced:
    """An order for (product, units) lines, each line with an id of its own."""
    return OrderPlaced(
        str(uuid.uuid4()),
        [OrderedLine(str(uuid.uuid4()), product, "SKU-1", units) for product, units in lines],
        placed_at,
    )


class FakeInventory:
    def __init__(self, *, backorders: bool = True, policy: Policy = "single") -> None:
        self.db = FakeDatabase()
        self.catalog = FakeCatalog()
        self.rules = ReservationRules(backorders=backorders, policy=policy)

    def uow(self) -> FakeUnitOfWork:
        return FakeUnitOfWork(self.db)

    def product(self, kind: str = "stocked", components: dict[str, int] | None = None) -> str:
        """A new product of the catalog; its id."""
        product_id = f"P-{uuid.uuid4().hex[:8]}"
        self.catalog.products[product_id] = CatalogProduct(product_id, kind, components or {})
        return product_id

    async def warehouse(self, priority: int = 0) -> str:
        command = CreateWarehouse(f"W{uuid.uuid4().hex[:6]}", "Warehouse", priority)
        return (await create_warehouse(self.uow(), command)).id

    async def stock(self, warehouse: str, product: str, units: int) -> StockPosition:
        command = AdjustStock(warehouse, product, units, "count")
        return await adjust_stock(self.uow(), self.catalog, command)

    async def place(self, order: OrderPlaced) -> OrderPlaced:
        async with self.uow() as uow:  # the consumer's transaction
            await on_sales_order_placed(uow, order, self.rules)
        return order

    async def approve(self, order_id: str) -> None:
        async with self.uow() as uow:
            await on_sales_order_approved(uow, OrderApproved(order_id, NOW))

    async def level(self, product: str, warehouse: str) -> StockPosition:
        async with self.uow() as uow:
            return await read_level(uow, warehouse, product)

    async def ledger(self, order_id: str) -> Ledger:
        return await list_reservations(self.uow(), order_id)

    def published(self, kind: type[E], key: str | None = None) -> list[E]:
        """The events of a kind published so far (about one order, product or receipt)."""
        return [
            e for e in self.db.outbox if isinstance(e, kind) and (key is None or key in _keys(e))
        ]

    def last(self, order_id: str) -> Published:
        """The last event published about an order."""
        return [e for e in self.db.outbox if order_id in _keys(e)][-1]


def _keys(event: Any) -> set[str]:
    return {
        getattr(event, name)
        for name in ("order_id", "product_id", "receipt_id", "shipment_id")
        if hasattr(event, name)
    }
