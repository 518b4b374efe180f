"""Hand-written fakes of inventory's ports: a database in memory, the unit of work over it (a
transaction: changes roll back when its block raises) and the catalog. They pass the same
repository contracts as the PostgreSQL adapters (tests/repository_contracts.py), so they cannot
drift from them."""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from types import TracebackType
from typing import Any

from inventory.adapters.stock_levels import StaleStockLevel
from inventory.application.ports import CatalogProduct, ClientRequest
from inventory.domain.allocation import Waiting
from inventory.domain.events import Published, StockMoved
from inventory.domain.receipt import CancelledLine, ExpectedLine, ExpectedUnits, Receipt
from inventory.domain.reservation import Reservation, Status
from inventory.domain.returns import Return
from inventory.domain.shipment import Shipment
from inventory.domain.stock import StockLevel
from inventory.domain.warehouse import Warehouse
from servicekit.context import current_principal
from servicekit.errors import AlreadyExists, FieldViolation, InvalidArgument
from servicekit.idempotency import MAX_REQUEST_ID


@dataclass
class Expected:
    warehouse_id: str
    expected: int
    received: int = 0
    cancelled: int = 0


@dataclass
class AuditEntry:
    entity_type: str
    entity_id: str
    action: str
    actor: str
    before: Mapping[str, Any] | None
    after: Mapping[str, Any] | None


@dataclass
class FakeDatabase:
    warehouses: dict[str, Warehouse] = field(default_factory=dict)
    levels: dict[tuple[str, str], StockLevel] = field(default_factory=dict)
    # (move, who made it)
    movements: list[tuple[StockMoved, str]] = field(default_factory=list)
    reservations: dict[str, Reservation] = field(default_factory=dict)
    shipments: dict[str, Shipment] = field(default_factory=dict)
    receipts: dict[str, Receipt] = field(default_factory=dict)
    # (purchase order id, product id) -> what it brings
    expected: dict[tuple[str, str], Expected] = field(default_factory=dict)
    returns: dict[str, Return] = field(default_factory=dict)
    audit: list[AuditEntry] = field(default_factory=list)
    # (operation, request id) -> (fingerprint, result id)
    requests: dict[tuple[str, str], tuple[str, str | None]] = field(default_factory=dict)
    outbox: list[Published] = field(default_factory=list)
    # Products locked, in the order the locks were asked for.
    locked: list[str] = field(default_factory=list)


class FakeWarehouses:
    def __init__(self, db: FakeDatabase) -> None:
        self.db = db

    async def add(self, warehouse: Warehouse) -> bool:
        if any(w.code == warehouse.code for w in self.db.warehouses.values()):
            return False
        self.db.warehouses[warehouse.id] = warehouse
        return True

    async def get(self, warehouse_id: str) -> Warehouse | None:
        return self.db.warehouses.get(warehouse_id)

    def _ordered(self) -> list[Warehouse]:
        return sorted(self.db.warehouses.values(), key=lambda w: (w.priority, w.code))

    async def priority(self) -> list[str]:
        return [w.id for w in self._ordered()]

    async def missing(self, warehouse_ids: Iterable[str]) -> list[str]:
        return sorted(set(warehouse_ids) - set(self.db.warehouses))

    async def page(self, limit: int, after: tuple[int, str] | None = None) -> list[Warehouse]:
        found = [w for w in self._ordered() if after is None or (w.priority, w.code) > after]
        return found[:limit]


class FakeStockLevels:
    def __init__(self, db: FakeDatabase) -> None:
        self.db = db
        self._seen: dict[tuple[str, str], StockLevel] = {}
        self._read: dict[tuple[str, str], tuple[int, int]] = {}

    async def get(self, warehouse_id: str, product_id: str) -> StockLevel | None:
        key = (warehouse_id, product_id)
        if key not in self._seen:
            if key not in self.db.levels:
                return None
            level = copy.deepcopy(self.db.levels[key])
            self._seen[key], self._read[key] = level, (level.on_hand, level.reserved)
        return self._seen[key]

    async def ensure(self, warehouse_id: str, product_id: str) -> None:
        self.db.levels.setdefault((warehouse_id, product_id), StockLevel(warehouse_id, product_id))

    async def save(self, level: StockLevel) -> None:
        key = (level.warehouse_id, level.product_id)
        on_hand, reserved = self._read[key]
        stored = self.db.levels[key]
        d_on_hand, d_reserved = level.on_hand - on_hand, level.reserved - reserved
        if not 0 <= stored.reserved + d_reserved <= stored.on_hand + d_on_hand:
            raise StaleStockLevel(f"{level.product_id} in {level.warehouse_id} moved meanwhile")
        stored.on_hand += d_on_hand
        stored.reserved += d_reserved
        stored.reorder_point, stored.low_stock = level.reorder_point, level.low_stock
        self._read[key] = (level.on_hand, level.reserved)

    async def record(self, moves: Sequence[StockMoved]) -> None:
        self.db.movements += [(m, current_principal().subject) for m in moves]

    async def availability(self, product_ids: Iterable[str]) -> dict[str, dict[str, int]]:
        wanted = set(product_ids)
        found: dict[str, dict[str, int]] = {}
        for (warehouse_id, product_id), level in self.db.levels.items():
            if product_id in wanted:
                found.setdefault(warehouse_id, {})[product_id] = level.available
        return found

    async def page(
        self,
        limit: int,
        product_id: str = "",
        warehouse_id: str = "",
        after: tuple[str, str] | None = None,
    ) -> list[StockLevel]:
        keys = sorted((p, w) for w, p in self.db.levels)
        found = [
            copy.deepcopy(self.db.levels[(w, p)])
            for p, w in keys
            if (not product_id or p == product_id)
            and (not warehouse_id or w == warehouse_id)
            and (after is None or (p, w) > after)
        ]
        return found[:limit]


class FakeReservations:
    def __init__(self, db: FakeDatabase) -> None:
        self.db = db
        self._seen: dict[str, Reservation] = {}

    async def get(self, order_id: str, *, for_update: bool = False) -> Reservation | None:
        if order_id not in self._seen:
            if order_id not in self.db.reservations:
                return None
            self._seen[order_id] = copy.deepcopy(self.db.reservations[order_id])
        return self._seen[order_id]

    async def add(self, reservation: Reservation) -> None:
        if reservation.order_id in self.db.reservations:
            raise ValueError(f"order {reservation.order_id} is known already")
        self._seen[reservation.order_id] = reservation
        await self.save(reservation)

    async def save(self, reservation: Reservation) -> None:
        self.db.reservations[reservation.order_id] = copy.deepcopy(reservation)

    async def lock(self, order_ids: Iterable[str]) -> None:
        pass

    async def line_products(self, order_id: str) -> list[str]:
        found = self.db.reservations.get(order_id)
        return sorted({x.product_id for x in found.lines}) if found else []

    async def held_products(self, order_id: str, warehouse_id: str) -> list[str]:
        found = self.db.reservations.get(order_id)
        held = found.ledger if found else []
        return sorted({h.product_id for h in held if h.warehouse_id == warehouse_id})

    async def queue(self, product_id: str) -> list[Waiting]:
        waiting = [
            (
                r.placed_at,
                r.order_id,
                x.position,
                Waiting(r.order_id, x.line_id, x.product_id, x.backordered),
            )
            for r in self.db.reservations.values()
            for x in r.lines
            if x.product_id == product_id and x.backordered > 0
        ]
        return [w for *_, w in sorted(waiting, key=lambda t: t[:3])]

    async def backordered(self, product_ids: Iterable[str]) -> dict[str, int]:
        wanted, found = set(product_ids), {}
        for r in self.db.reservations.values():
            for x in r.lines:
                if x.product_id in wanted and x.backordered > 0:
                    found[x.product_id] = found.get(x.product_id, 0) + x.backordered
        return found

    async def open_placed_before(self, moment: datetime, limit: int) -> list[str]:
        due = [
            r
            for r in self.db.reservations.values()
            if r.status == Status.OPEN and r.placed_at < moment
        ]
        return [r.order_id for r in sorted(due, key=lambda r: r.placed_at)][:limit]


class FakeShipments:
    def __init__(self, db: FakeDatabase) -> None:
        self.db = db

    async def get(self, shipment_id: str, *, for_update: bool = False) -> Shipment | None:
        found = self.db.shipments.get(shipment_id)
        return copy.deepcopy(found) if found else None

    async def add(self, shipment: Shipment) -> None:
        self.db.shipments[shipment.id] = copy.deepcopy(shipment)

    async def save(self, shipment: Shipment) -> None:
        stored = self.db.shipments[shipment.id]
        stored.status, stored.updated_at = shipment.status, shipment.updated_at

    async def page(
        self, limit: int, order_id: str = "", after: tuple[datetime, str] | None = None
    ) -> list[Shipment]:
        found = sorted(self.db.shipments.values(), key=lambda s: (s.created_at, s.id), reverse=True)
        return [
            copy.deepcopy(s)
            for s in found
            if (not order_id or s.order_id == order_id)
            and (after is None or (s.created_at, s.id) < after)
        ][:limit]


class FakeReceipts:
    def __init__(self, db: FakeDatabase) -> None:
        self.db = db

    async def add(self, receipt: Receipt) -> bool:
        if receipt.id in self.db.receipts:
            return False
        self.db.receipts[receipt.id] = receipt
        return True

    async def get(self, receipt_id: str) -> Receipt | None:
        return self.db.receipts.get(receipt_id)


class FakeExpectedGoods:
    def __init__(self, db: FakeDatabase) -> None:
        self.db = db

    async def replace(
        self, purchase_order_id: str, warehouse_id: str, lines: Sequence[tuple[str, int]]
    ) -> list[ExpectedLine]:
        named = {p for p, _ in lines}
        for (order, product), goods in self.db.expected.items():
            if order == purchase_order_id and product not in named:
                goods.expected = 0
        for product_id, units in lines:
            goods = self.db.expected.setdefault((purchase_order_id, product_id), Expected("", 0))
            goods.warehouse_id, goods.expected = warehouse_id, units
        return [
            ExpectedLine(product, goods.expected, goods.received)
            for (order, product), goods in sorted(self.db.expected.items())
            if order == purchase_order_id and goods.expected > 0
        ]

    async def count_received(
        self, purchase_order_id: str, warehouse_id: str, product_id: str, units: int
    ) -> None:
        goods = self.db.expected.setdefault(
            (purchase_order_id, product_id), Expected(warehouse_id, 0)
        )
        goods.received += units

    async def cancel(
        self, purchase_order_id: str, warehouse_id: str, lines: Sequence[CancelledLine]
    ) -> None:
        for line in lines:
            key = (purchase_order_id, line.product_id)
            goods = self.db.expected.setdefault(key, Expected(warehouse_id, 0))
            goods.expected, goods.cancelled = line.quantity, line.cancelled

    async def lines_of(self, purchase_order_id: str) -> dict[str, ExpectedUnits]:
        return {
            product: ExpectedUnits(goods.expected, goods.received, goods.cancelled)
            for (order, product), goods in self.db.expected.items()
            if order == purchase_order_id
        }

    async def incoming(
        self, product_ids: Iterable[str], warehouse_id: str = ""
    ) -> dict[tuple[str, str], int]:
        wanted, found = set(product_ids), {}
        for (_, product), goods in self.db.expected.items():
            here = not warehouse_id or goods.warehouse_id == warehouse_id
            if product in wanted and goods.expected > goods.received and here:
                key = (goods.warehouse_id, product)
                found[key] = found.get(key, 0) + goods.expected - goods.received
        return found


class FakeReturns:
    def __init__(self, db: FakeDatabase) -> None:
        self.db = db

    async def add(self, authorized: Return) -> bool:
        if authorized.return_id in self.db.returns:
            return False
        self.db.returns[authorized.return_id] = copy.deepcopy(authorized)
        return True

    async def get(self, return_id: str, *, for_update: bool = False) -> Return | None:
        found = self.db.returns.get(return_id)
        return copy.deepcopy(found) if found else None

    async def save(self, received: Return) -> None:
        self.db.returns[received.return_id] = copy.deepcopy(received)


class FakeAuditTrail:
    def __init__(self, db: FakeDatabase) -> None:
        self.db = db

    async def record(
        self,
        entity_type: str,
        entity_id: str,
        action: str,
        *,
        before: Mapping[str, Any] | None = None,
        after: Mapping[str, Any] | None = None,
    ) -> None:
        actor = current_principal().subject
        self.db.audit.append(AuditEntry(entity_type, entity_id, action, actor, before, after))


class FakeProcessedRequests:
    def __init__(self, db: FakeDatabase) -> None:
        self.db = db

    async def claim(self, operation: str, request: ClientRequest | None) -> str | None:
        if request is None or not request.request_id:
            return None
        if len(request.request_id) > MAX_REQUEST_ID:
            raise InvalidArgument.of("request_id", f"at most {MAX_REQUEST_ID} characters")
        key, print_ = (operation, request.request_id), request.fingerprint
        if key not in self.db.requests:
            self.db.requests[key] = (print_, None)
            return None
        seen, result = self.db.requests[key]
        if seen != print_ or result is None:
            raise AlreadyExists(
                "this request_id was used for a different request",
                (FieldViolation("request_id", "already used with other content"),),
            )
        return result

    async def complete(self, operation: str, request: ClientRequest | None, result_id: str) -> None:
        if request is not None and request.request_id:
            key = (operation, request.request_id)
            self.db.requests[key] = (self.db.requests[key][0], result_id)


class FakeUnitOfWork:
    """A transaction on a FakeDatabase: what its block changed is undone when it raises."""

    def __init__(self, db: FakeDatabase) -> None:
        self.db = db
        self.warehouses = FakeWarehouses(db)
        self.levels = FakeStockLevels(db)
        self.reservations = FakeReservations(db)
        self.shipments = FakeShipments(db)
        self.receipts = FakeReceipts(db)
        self.expected_goods = FakeExpectedGoods(db)
        self.returns = FakeReturns(db)
        self.audit = FakeAuditTrail(db)
        self.requests = FakeProcessedRequests(db)
        self._before: FakeDatabase | None = None

    async def __aenter__(self) -> FakeUnitOfWork:
        self._before = copy.deepcopy(self.db)
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if error is not None and self._before is not None:
            self.db.__dict__.update(self._before.__dict__)

    async def lock_products(self, product_ids: Iterable[str]) -> None:
        self.db.locked += sorted(set(product_ids))

    async def publish(self, events: Sequence[Published]) -> None:
        self.db.outbox += events


@dataclass
class FakeCatalog:
    products: dict[str, CatalogProduct] = field(default_factory=dict)

    async def unknown(self, product_ids: Sequence[str]) -> list[str]:
        return [i for i in product_ids if i not in self.products]

    async def product(self, product_id: str) -> CatalogProduct | None:
        return self.products.get(product_id)
