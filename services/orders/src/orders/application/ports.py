"""What the use cases need from the world, as Protocols; adapters/ implements them, and the tests'
fakes too. Nothing concrete lives here but the values the ports speak in."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, Protocol

from orders.application.pipeline_cache import PipelineCache
from orders.domain.activity import Entry, Link
from orders.domain.costs import CostItem
from orders.domain.credit import ExchangeRate
from orders.domain.customers import CreditPosition, Customer, CustomerFilter
from orders.domain.events import CostIncurred, DomainEvent, SalesOrderEvent
from orders.domain.forecast import OpenOrder
from orders.domain.lines import ReturnRequest
from orders.domain.order_pricing import PriceKey, ResolvedPrice
from orders.domain.pipeline import Pipeline
from orders.domain.placing import CatalogProduct
from orders.domain.sales_order import SalesOrder
from orders.domain.stalled import StalledEvent, StalledStep
from orders.domain.tasks import Task
from pricing.document import TaxRate
from pricing.money import Money
from servicekit.sales_reach import EVERYTHING, Reach


class ConcurrentUpdate(Exception):
    """Someone else changed the order since it was read."""


@dataclass(frozen=True)
class OrderQuery:
    """The order desk's filters; empty means any."""

    status: str = ""
    customer_id: str = ""
    order_id: str = ""
    salesperson: str = ""
    channel: str = ""
    order_type: str = ""
    category_id: str = ""
    created_from: datetime | None = None
    created_to: datetime | None = None
    # The orders the caller reaches (servicekit.sales_reach).
    reach: Reach = EVERYTHING


@dataclass(frozen=True)
class HistoryEntry:
    """One entry of an order's journal: a move (from_status set) or a note."""

    id: int
    from_status: str | None
    to_status: str
    reason: str
    note: str
    actor: str
    caused_by: str | None
    at: datetime


@dataclass(frozen=True)
class OrderTotals:
    """How many orders a query matches in one currency, and what they come to."""

    currency: str
    orders: int
    total: Decimal


class SalesOrders(Protocol):
    """Sales orders and their journal. `add` and `save` journal the events the order's
    transitions returned (moves and notes; the others are the outbox's)."""

    async def add(self, order: SalesOrder, events: Sequence[SalesOrderEvent]) -> None: ...

    async def get(self, order_id: str, for_update: bool = False) -> SalesOrder | None: ...

    async def save(self, order: SalesOrder, events: Sequence[SalesOrderEvent]) -> None:
        """Raises ConcurrentUpdate when the order changed since it was read."""
        ...

    async def history(self, order_id: str, after: int, limit: int) -> list[HistoryEntry]:
        """Oldest first, from the entry after `after` (an entry's id; 0 for the first)."""
        ...

    async def page(
        self, query: OrderQuery, after: tuple[datetime, str] | None, limit: int
    ) -> list[SalesOrder]:
        """Newest first; `after` is the (created_at, id) of the last order already seen."""
        ...

    async def totals(self, query: OrderQuery) -> list[OrderTotals]:
        """Per currency (in its order), every order the query matches."""
        ...

    async def open_orders(self, customer_id: str, besides: str) -> tuple[Money, ...]:
        """What the customer has on order and not yet invoiced, per currency (in its order),
        other than order `besides`."""
        ...

    async def open_for_forecast(self, reach: Reach) -> list[OpenOrder]: ...


class Customers(Protocol):
    async def add(self, customer: Customer) -> None: ...

    async def get(self, customer_id: str, for_update: bool = False) -> Customer | None: ...

    async def exists(self, customer_id: str) -> bool: ...

    async def save(self, customer: Customer) -> bool:
        """Writes `customer` over the version before it; False when that is not the stored one."""
        ...

    async def page(
        self, wanted: CustomerFilter, after: tuple[str, str] | None, limit: int
    ) -> list[Customer]:
        """By name, then id; `after` is the (name, id) of the last customer already seen."""
        ...

    async def set_balance(self, customer_id: str, balance: Money, as_of: datetime) -> None:
        """Billing's open balance in `balance.currency` as of `as_of`, unless a later one is
        already known."""
        ...

    async def credit_position(self, customer_id: str) -> CreditPosition | None:
        """The limit and the open balances (every currency; none without a limit, which they
        cannot exceed); None for no such customer."""
        ...


class Pipelines(Protocol):
    async def get(self, order_type: str) -> Pipeline:
        """The stored pipeline, or the built-in one for the type (the standard one for others)."""
        ...

    async def all(self) -> dict[str, Pipeline]: ...

    async def save(self, pipeline: Pipeline) -> None: ...


class OrderCosts(Protocol):
    async def add(self, cost: CostIncurred) -> str | None:
        """The new cost's id; None when its source was recorded already."""
        ...

    async def of(self, order_ids: Sequence[str]) -> dict[str, list[CostItem]]:
        """Each order's costs, oldest first."""
        ...


class Returns(Protocol):
    async def add(self, order_id: str, request: ReturnRequest) -> None: ...

    async def returned_or_authorised(self, order_id: str) -> dict[str, int]:
        """Per line, the units already under a return authorisation."""
        ...

    async def mark_received(self, return_id: str) -> bool:
        """False when the return was marked received already (a redelivered event)."""
        ...


class ExchangeRates(Protocol):
    async def set(self, rate: ExchangeRate, set_at: datetime) -> None:
        """Keeps `rate`, unless finance set the same pair and day again later."""
        ...

    async def current(self, currency: str, on: date) -> list[ExchangeRate]:
        """The rate of each pair into or out of `currency` that applies on `on`."""
        ...


class BillingHolds(Protocol):
    """Customers whose credit billing holds (invoices overdue too long), with why."""

    async def hold(self, customer_id: str, reason: str, at: datetime) -> None: ...

    async def release(self, customer_id: str) -> None: ...

    async def reason(self, customer_id: str) -> str:
        """Why billing holds the customer's credit; empty when it does not."""
        ...


@dataclass(frozen=True)
class TaskQuery:
    """Which tasks to list; empty means any."""

    assignee: str = ""
    status: str = ""
    subject_type: str = ""
    subject_id: str = ""
    due_before: date | None = None
    # Only these people's tasks (assigned to or created by them); empty: everyone's.
    visible_to: str = ""


class Tasks(Protocol):
    async def add(self, task: Task) -> None: ...

    async def get(self, task_id: str, for_update: bool = False) -> Task | None: ...

    async def save(self, task: Task) -> None: ...

    async def page(
        self, query: TaskQuery, after: tuple[date, str] | None, limit: int
    ) -> list[Task]:
        """Tasks by due date, then id, after the (due date, id) given."""
        ...


class ActivityJournal(Protocol):
    """The activity journal's entries (a read model fed by the events, domain.activity)."""

    async def record(self, entries: Sequence[Entry], links: Sequence[Link]) -> None:
        """Keeps each entry once (by subject and event id) and each link once."""
        ...

    async def timeline(self, order_id: str) -> list[Entry]:
        """The order's entries with those of its linked invoices and quotes, by time, then
        event id."""
        ...


class ProcessedRequests(Protocol):
    """Client request ids: a command retried with the same id has its first effect only."""

    async def claim(self, operation: str, request_id: str, fingerprint: str) -> str | None:
        """None when this unit of work now owns `request_id` (or there is none); the first
        result's id when it was done before. AlreadyExists for the id with other content."""
        ...

    async def complete(self, operation: str, request_id: str, result_id: str) -> None: ...


class AuditTrail(Protocol):
    """The service's change log: who changed what, before and after."""

    async def record(
        self,
        entity_type: str,
        entity_id: str,
        action: str,
        *,
        before: Mapping[str, Any] | None = None,
        after: Mapping[str, Any] | None = None,
    ) -> None: ...

    async def record_all(
        self,
        entity_type: str,
        entity_id: str,
        changes: Sequence[tuple[str, Mapping[str, Any] | None, Mapping[str, Any] | None]],
    ) -> None:
        """Several changes of one entity at once: (action, before, after) each."""
        ...


class UnitOfWork(Protocol):
    """One transaction: what it reads and writes, the events it publishes (outbox) and its
    change log entries commit together, or none of them does. `Deps.unit_of_work()` opens one
    (`async with`); an event's reaction is handed the consumer's, which holds its inbox row."""

    @property
    def orders(self) -> SalesOrders: ...

    @property
    def customers(self) -> Customers: ...

    @property
    def pipelines(self) -> Pipelines: ...

    @property
    def costs(self) -> OrderCosts: ...

    @property
    def returns(self) -> Returns: ...

    @property
    def rates(self) -> ExchangeRates: ...
    @property
    def billing_holds(self) -> BillingHolds: ...

    @property
    def stalled(self) -> StalledSteps: ...

    @property
    def tasks(self) -> Tasks: ...

    @property
    def activity(self) -> ActivityJournal: ...

    @property
    def requests(self) -> ProcessedRequests: ...

    @property
    def audit(self) -> AuditTrail: ...

    async def publish(self, events: Sequence[DomainEvent]) -> None:
        """Puts the events other services hear of in the outbox (the others are journalled)."""
        ...


class Redrive(Protocol):
    async def __call__(self, event: StalledEvent) -> str:
        """Applies the event again through its reaction, once (the inbox): "" when it went
        through or was applied already, else why it still cannot be."""
        ...


class StalledSteps(Protocol):
    async def add(self, step: StalledStep) -> bool:
        """False when the step is kept already (the same event, or the same deadline passed)."""
        ...

    async def open_of(self, order_id: str) -> list[StalledStep]:
        """The order's steps still stalled, oldest first."""
        ...

    async def of_order(self, order_id: str) -> list[StalledStep]:
        """Every step of the order ever stalled, oldest first."""
        ...

    async def page(self, after: tuple[datetime, str] | None, limit: int) -> list[StalledStep]:
        """Steps still stalled, oldest first, after the (stalled_at, id) given."""
        ...

    async def save(self, step: StalledStep) -> None: ...

    async def awaiting_stock(
        self, placed_before: datetime, limit: int
    ) -> list[tuple[str, str, datetime]]:
        """Orders placed before then, not cancelled, that inventory has not answered and that
        have not stalled for it yet: (order id, quote id, placed at), oldest first."""
        ...


class Catalog(Protocol):
    async def products(self, ids: Sequence[str]) -> dict[str, CatalogProduct]:
        """What the catalog says of each product it knows now (Unavailable when it cannot)."""
        ...

    async def prices(
        self, keys: set[PriceKey], customer_group: str, currency: str, on: date
    ) -> dict[PriceKey, ResolvedPrice | None]:
        """Each (product, quantity)'s price from the customer group's price lists; None where no
        list prices it (the list price applies). One call, however many lines."""
        ...

    async def taxes(
        self, tax_zone: str, tax_categories: set[str], on: date
    ) -> dict[str, tuple[TaxRate, ...]]:
        """The taxes each tax category carries in the zone on `on` (catalog's tax rules)."""
        ...


@dataclass(frozen=True)
class Deps:
    """What the use cases are handed (bootstrap builds it; the tests build it from fakes)."""

    # A new transaction: commits when the `async with` block ends, rolls back when it raises.
    unit_of_work: Callable[[], AbstractAsyncContextManager[UnitOfWork]]
    catalog: Catalog
    pipelines: PipelineCache
    clock: Callable[[], datetime]
    # Reports (the sales forecast) total every currency in this one (ORDERS_REPORTING_CURRENCY).
    reporting_currency: str = "EUR"
    # Applies a stalled step's event again (None: no retries, as in tests without a consumer).
    redrive: Redrive | None = None
    # An order placed that inventory has not answered after this long stalls
    # (ORDERS_SAGA_STALL_AFTER_SECONDS).
    stall_after: timedelta = timedelta(minutes=15)
