"""What procurement's use cases need from the world, as Protocols: a repository per aggregate,
the change log, client request ids, the unit of work that holds them in one transaction, and a
clock. procurement.adapters implements them on PostgreSQL; tests/unit/fakes.py in memory."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from types import TracebackType
from typing import Any, Protocol

from procurement.domain.contracts import SupplierContract
from procurement.domain.events import DomainEvent
from procurement.domain.purchase_orders import PurchaseOrder
from procurement.domain.reorder import ReorderRule
from procurement.domain.rfqs import Proposal, Rfq
from procurement.domain.suppliers import Supplier

# The (created_at, id) of a newest-first page's last row.
NewestKey = tuple[datetime, str]


@dataclass(frozen=True)
class ContractFilter:
    """Empty fields do not filter; `active_on`: contracts covering that day."""

    supplier_id: str = ""
    product_id: str = ""
    active_on: date | None = None


@dataclass(frozen=True)
class OrderFilter:
    """Empty fields do not filter."""

    status: str = ""
    supplier_id: str = ""
    warehouse_id: str = ""


@dataclass(frozen=True)
class RuleFilter:
    """Empty fields do not filter."""

    warehouse_id: str = ""
    product_id: str = ""
    supplier_id: str = ""


class SupplierRepository(Protocol):
    async def add(self, supplier: Supplier) -> bool:
        """False when the name is taken (nothing is written)."""

    async def save(self, supplier: Supplier) -> None:
        """Writes what a change may touch: e-mail, contacts, terms, rating."""

    async def get(self, supplier_id: str, *, for_update: bool = False) -> Supplier | None:
        """None for an unknown or empty id; `for_update` locks the supplier until the unit of
        work ends (low-stock alerts for one supplier take turns)."""

    async def find(self, supplier_ids: Iterable[str]) -> list[Supplier]:
        """Those of the ids that exist, by name."""

    async def page(self, after: str, limit: int) -> list[Supplier]:
        """By name (unique), after `after`, the previous page's last name."""


class RfqRepository(Protocol):
    async def add(self, rfq: Rfq) -> None: ...

    async def save(self, rfq: Rfq, proposal: Proposal | None = None) -> None:
        """The RFQ's state, and `proposal` (replacing the supplier's earlier one)."""

    async def get(self, rfq_id: str, *, for_update: bool = False) -> Rfq | None:
        """With its proposals; `for_update` locks it until the unit of work ends."""

    async def page(self, status: str, after: NewestKey | None, limit: int) -> list[Rfq]:
        """Newest first, of `status` when given."""


class ContractRepository(Protocol):
    async def add(self, contract: SupplierContract) -> None: ...

    async def get(self, contract_id: str) -> SupplierContract | None:
        """With its prices, by product id (as every contract read)."""

    async def covering(self, supplier_id: str, day: date) -> list[SupplierContract]:
        """The supplier's contracts covering `day`."""

    async def page(
        self, wanted: ContractFilter, after: tuple[date, datetime, str] | None, limit: int
    ) -> list[SupplierContract]:
        """Newest period first (then newest made), after the (valid_from, created_at, id) of
        the previous page's last contract; with a product, those pricing it."""


class PurchaseOrderRepository(Protocol):
    async def next_number(self, year: int) -> int:
        """The year's next number, gap-free: held by this unit of work until it ends, so a
        rollback gives it back and concurrent orders take turns."""

    async def add(self, order: PurchaseOrder) -> None: ...

    async def save(self, order: PurchaseOrder) -> None:
        """Its head and document, its receipts and history (both only ever grow)."""

    async def get(self, order_id: str, *, for_update: bool = False) -> PurchaseOrder | None:
        """None for an unknown or empty id; `for_update` locks it until the unit of work ends."""

    async def open_draft(
        self, supplier_id: str, warehouse_id: str, currency: str
    ) -> PurchaseOrder | None:
        """The supplier's newest draft in `currency` for the warehouse, locked."""

    async def page(
        self, wanted: OrderFilter, after: NewestKey | None, limit: int
    ) -> list[PurchaseOrder]:
        """Newest first."""


class ReorderRuleRepository(Protocol):
    async def put(self, rule: ReorderRule) -> None:
        """Creates or replaces the rule of its product in its warehouse."""

    async def get(
        self, product_id: str, warehouse_id: str, *, for_update: bool = False
    ) -> ReorderRule | None: ...

    async def page(
        self, wanted: RuleFilter, after: tuple[str, str] | None, limit: int
    ) -> list[ReorderRule]:
        """By warehouse and product, after the previous page's last (warehouse_id, product_id)."""

    async def of_supplier(
        self, supplier_id: str, currency: str, product_ids: Sequence[str]
    ) -> list[ReorderRule]:
        """The supplier's rules in `currency` for those products, by warehouse and product,
        locked until the unit of work ends."""


class ChangeLog(Protocol):
    """The service's audit log: who changed what, and how (the actor is the current principal)."""

    async def record(
        self,
        entity_type: str,
        entity_id: str,
        action: str,
        *,
        before: Mapping[str, Any] | None = None,
        after: Mapping[str, Any] | None = None,
    ) -> None: ...


class ProcessedRequests(Protocol):
    """Client request ids, so that a command retried with the same id has its first effect only.
    The fingerprint is the request's content without its id: what a retry must repeat."""

    async def claim(self, operation: str, request_id: str, fingerprint: str) -> str | None:
        """None when this unit of work now owns `request_id` (or there is none): do the work and
        `complete` it. The first result's id when the request was done before; AlreadyExists
        when the id came before with other content."""

    async def complete(self, operation: str, request_id: str, result_id: str) -> None: ...


@dataclass(frozen=True)
class RequestKey:
    """A command's client request id (empty: none) and its request's fingerprint."""

    request_id: str = ""
    fingerprint: str = ""


class UnitOfWork(Protocol):
    """One transaction: its repositories, the events it publishes (an outbox) and its change
    log entries all commit together when the block ends normally, or none does. An event's
    reaction is handed the consumer's unit of work, already open, with its inbox row."""

    @property
    def suppliers(self) -> SupplierRepository: ...

    @property
    def rfqs(self) -> RfqRepository: ...

    @property
    def contracts(self) -> ContractRepository: ...

    @property
    def purchase_orders(self) -> PurchaseOrderRepository: ...

    @property
    def reorder_rules(self) -> ReorderRuleRepository: ...

    @property
    def changes(self) -> ChangeLog: ...

    @property
    def requests(self) -> ProcessedRequests: ...

    async def publish(self, events: Sequence[DomainEvent]) -> None:
        """Announces the events once this unit of work commits (and only if it does)."""

    async def __aenter__(self) -> UnitOfWork: ...

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None: ...


# Each use case starts its own unit of work: `async with ports.uow() as uow: ...`.
UnitsOfWork = Callable[[], UnitOfWork]


class Clock(Protocol):
    def now(self) -> datetime:
        """Now, with its time zone."""


@dataclass(frozen=True)
class Ports:
    """Everything a use case may use, handed over by bootstrap."""

    uow: UnitsOfWork
    clock: Clock


class UnusableEvent(Exception):
    """An event this service can never apply (it names what does not exist here): the consumer
    sets it aside on the dead-letter topic at once rather than retrying it."""
