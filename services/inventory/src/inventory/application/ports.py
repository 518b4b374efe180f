"""What the use cases need from outside: one repository per aggregate, the unit of work that
holds them in one transaction, and the catalog. Protocols only; adapters/ implements them,
tests/unit/fakes.py fakes them.

Concurrency: a use case that changes a product's stock, its reservations or its backorders
first calls `lock_products` for every product it may touch (the locks are held until the
transaction ends, and taken in one global order), and loads the reservations it changes
`for_update`. Two transactions then never change the same stock at once, on any replica."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from types import TracebackType
from typing import Any, Protocol

from inventory.domain.allocation import Waiting
from inventory.domain.availability import Availability
from inventory.domain.events import Published, StockMoved
from inventory.domain.receipt import CancelledLine, ExpectedLine, ExpectedUnits, Receipt
from inventory.domain.reservation import Reservation
from inventory.domain.returns import Return
from inventory.domain.shipment import Shipment
from inventory.domain.stock import StockLevel
from inventory.domain.warehouse import Warehouse


class WarehouseRepository(Protocol):
    async def add(self, warehouse: Warehouse) -> bool:
        """False (and nothing added) when its code is taken."""
        ...

    async def get(self, warehouse_id: str) -> Warehouse | None: ...

    async def priority(self) -> list[str]:
        """Every warehouse id in allocation order (priority, then code)."""
        ...

    async def missing(self, warehouse_ids: Iterable[str]) -> list[str]:
        """The ids among `warehouse_ids` that name no warehouse, sorted."""
        ...

    async def page(self, limit: int, after: tuple[int, str] | None = None) -> list[Warehouse]:
        """At most `limit` warehouses in allocation order, after (priority, code) when given."""
        ...


class StockLevelRepository(Protocol):
    async def get(self, warehouse_id: str, product_id: str) -> StockLevel | None:
        """The level to change: the same object however often it is asked for in one unit of
        work (the product's lock keeps it from others)."""
        ...

    async def ensure(self, warehouse_id: str, product_id: str) -> None:
        """An empty level when there is none yet (whoever else makes it first)."""
        ...

    async def save(self, level: StockLevel) -> None:
        """Writes the changes of a level `get` returned since it was read or last saved. A level
        left oversold or negative is refused (an error, never stock sold that is not there)."""
        ...

    async def record(self, moves: Sequence[StockMoved]) -> None:
        """Adds moves to the stock ledger, as the current principal's."""
        ...

    async def availability(self, product_ids: Iterable[str]) -> Availability:
        """warehouse id -> product id -> units available, for the levels that exist."""
        ...

    async def page(
        self,
        limit: int,
        product_id: str = "",
        warehouse_id: str = "",
        after: tuple[str, str] | None = None,
    ) -> list[StockLevel]:
        """At most `limit` levels by product, then warehouse (of one product or warehouse, when
        given), after (product id, warehouse id) when given."""
        ...


class ReservationRepository(Protocol):
    async def get(self, order_id: str, *, for_update: bool = False) -> Reservation | None:
        """The order's reservation, the same object however often it is asked for in one unit
        of work; `for_update` locks it until the transaction ends."""
        ...

    async def add(self, reservation: Reservation) -> None:
        """A new order's reservation, with its lines and ledger."""
        ...

    async def save(self, reservation: Reservation) -> None:
        """Writes the reservation's changes since it was read."""
        ...

    async def lock(self, order_ids: Iterable[str]) -> None:
        """Locks the orders in id order (whoever fills an order's last backorder sees what
        every other filler of the same order committed)."""
        ...

    async def line_products(self, order_id: str) -> list[str]:
        """The products the order's lines name (to lock before loading it)."""
        ...

    async def held_products(self, order_id: str, warehouse_id: str) -> list[str]:
        """The products of the order's ledger in one warehouse (to lock before shipping)."""
        ...

    async def queue(self, product_id: str) -> list[Waiting]:
        """The product's backorders, first come (placement time, order, line) first."""
        ...

    async def backordered(self, product_ids: Iterable[str]) -> dict[str, int]:
        """product id -> units orders wait for (only products that are waited for)."""
        ...

    async def open_placed_before(self, moment: datetime, limit: int) -> list[str]:
        """Ids of open orders placed before `moment`, oldest first, at most `limit`."""
        ...


class ShipmentRepository(Protocol):
    async def get(self, shipment_id: str, *, for_update: bool = False) -> Shipment | None: ...

    async def add(self, shipment: Shipment) -> None:
        """Written as the unit of work commits: the unit of work that adds it does not read it
        back (a retried request finds it in its own)."""
        ...

    async def save(self, shipment: Shipment) -> None:
        """Writes its status and when it changed."""
        ...

    async def page(
        self, limit: int, order_id: str = "", after: tuple[datetime, str] | None = None
    ) -> list[Shipment]:
        """At most `limit` shipments (of one order, when given), newest first, after
        (created_at, id) when given."""
        ...


class ReceiptRepository(Protocol):
    async def add(self, receipt: Receipt) -> bool:
        """False (and nothing added) when a receipt has its id already."""
        ...

    async def get(self, receipt_id: str) -> Receipt | None: ...


class ExpectedGoodsRepository(Protocol):
    """What purchase orders announced and what of it arrived. Receipts and announcements of one
    purchase order may run at once (the consumer and the API), so each is one atomic write."""

    async def replace(
        self, purchase_order_id: str, warehouse_id: str, lines: Sequence[tuple[str, int]]
    ) -> list[ExpectedLine]:
        """The purchase order now brings `lines` (product, units) to `warehouse_id`; products it
        no longer names are expected 0. What arrived stays counted. Returns what it brings
        (expected > 0), by product."""
        ...

    async def count_received(
        self, purchase_order_id: str, warehouse_id: str, product_id: str, units: int
    ) -> None:
        """Units of the purchase order arrived (before its announcement, too)."""
        ...

    async def incoming(
        self, product_ids: Iterable[str], warehouse_id: str = ""
    ) -> dict[tuple[str, str], int]:
        """(warehouse id, product id) -> units announced and not received yet."""
        ...

    async def cancel(
        self, purchase_order_id: str, warehouse_id: str, lines: Sequence[CancelledLine]
    ) -> None:
        """The purchase order cancelled units: each line is expected at its `quantity` only, and
        keeps the units cancelled (what arrived stays counted)."""
        ...

    async def lines_of(self, purchase_order_id: str) -> dict[str, ExpectedUnits]:
        """The purchase order's products: expected, received and cancelled units."""
        ...


class ReturnRepository(Protocol):
    async def add(self, authorized: Return) -> bool:
        """False (and nothing added) when the return is known already."""
        ...

    async def get(self, return_id: str, *, for_update: bool = False) -> Return | None: ...

    async def save(self, received: Return) -> None:
        """Writes its status and where, when and by whom it was received."""
        ...


class AuditTrail(Protocol):
    async def record(
        self,
        entity_type: str,
        entity_id: str,
        action: str,
        *,
        before: Mapping[str, Any] | None = None,
        after: Mapping[str, Any] | None = None,
    ) -> None:
        """A change made now by the current principal (servicekit.audit)."""
        ...


@dataclass(frozen=True)
class ClientRequest:
    """A command's client-supplied id, which makes its retries harmless (servicekit.idempotency),
    and the fingerprint of the request as it arrived, compared with a retry's; an empty
    `request_id` asks for no such care."""

    request_id: str
    fingerprint: str


class ProcessedRequests(Protocol):
    async def claim(self, operation: str, request: ClientRequest | None) -> str | None:
        """None when this transaction now owns the request (do the work, then `complete`);
        the first call's result id when it was done before. AlreadyExists for the same id
        with other content."""
        ...

    async def complete(
        self, operation: str, request: ClientRequest | None, result_id: str
    ) -> None: ...


class UnitOfWork(Protocol):
    """One transaction: `async with uow:` commits when the block ends, rolls back when it
    raises. Reactions to events get one the consumer has opened (with its inbox claim)."""

    @property
    def warehouses(self) -> WarehouseRepository: ...
    @property
    def levels(self) -> StockLevelRepository: ...
    @property
    def reservations(self) -> ReservationRepository: ...
    @property
    def shipments(self) -> ShipmentRepository: ...
    @property
    def receipts(self) -> ReceiptRepository: ...
    @property
    def expected_goods(self) -> ExpectedGoodsRepository: ...
    @property
    def returns(self) -> ReturnRepository: ...
    @property
    def audit(self) -> AuditTrail: ...
    @property
    def requests(self) -> ProcessedRequests: ...

    async def lock_products(self, product_ids: Iterable[str]) -> None:
        """Holds the products' locks until the transaction ends."""
        ...

    async def publish(self, events: Sequence[Published]) -> None:
        """Events other services hear of, sent once the transaction commits (the outbox)."""
        ...

    async def __aenter__(self) -> UnitOfWork: ...

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None: ...


# A new unit of work for each transaction.
UnitOfWorkFactory = Callable[[], UnitOfWork]


@dataclass(frozen=True)
class CatalogProduct:
    id: str
    # "stocked", "service" or "kit".
    kind: str
    # For a kit: product id -> units of it in one kit.
    components: Mapping[str, int]


class Catalog(Protocol):
    """The catalog, asked on inventory's own account, before any transaction opens."""

    async def unknown(self, product_ids: Sequence[str]) -> list[str]:
        """The ids among `product_ids` that name no product of the catalog."""
        ...

    async def product(self, product_id: str) -> CatalogProduct | None:
        """The product's kind and (for a kit) components; None when there is no such product."""
        ...
