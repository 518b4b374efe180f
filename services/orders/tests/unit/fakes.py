"""Hand-written fakes of the orders service's ports: an in-memory database whose units of work
keep or roll back everything together, a catalog, a clock. They pass the same repository
contracts (tests/repository_contracts.py) as the PostgreSQL adapters, so they cannot drift."""

from __future__ import annotations

import copy
import itertools
import uuid
from collections.abc import AsyncIterator, Iterable, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from orders.application.pipeline_cache import PipelineCache
from orders.application.ports import (
    ConcurrentUpdate,
    Deps,
    HistoryEntry,
    OrderQuery,
    OrderTotals,
    TaskQuery,
)
from orders.domain import pipeline as stages
from orders.domain.activity import Entry, Link
from orders.domain.costs import CostItem
from orders.domain.credit import ExchangeRate
from orders.domain.customers import CreditPosition, Customer, CustomerFilter, credit_position
from orders.domain.events import CostIncurred, DomainEvent, SalesOrderEvent
from orders.domain.forecast import OpenOrder
from orders.domain.journal import journal_of
from orders.domain.lines import ReturnRequest, StockStatus
from orders.domain.order_pricing import PriceKey, ResolvedPrice
from orders.domain.pipeline import Pipeline
from orders.domain.placing import CatalogProduct
from orders.domain.sales_order import SalesOrder
from orders.domain.stalled import STALLED, StalledStep
from orders.domain.tasks import Task
from pricing.document import TaxRate
from pricing.money import Money
from servicekit.context import causation_id, current_principal
from servicekit.errors import AlreadyExists, FieldViolation, InvalidArgument, Unavailable
from servicekit.idempotency import MAX_REQUEST_ID
from servicekit.sales_reach import Reach

# Numeric(18, 6), as the database keeps money.
COLUMN = Decimal("0.000001")
OPEN_STAGES = (
    stages.REQUEST,
    stages.APPROVAL,
    stages.EXECUTION,
    stages.PARTIALLY_SHIPPED,
    stages.SHIPPED,
)


@dataclass
class AuditEntry:
    entity_type: str
    entity_id: str
    action: str
    before: Mapping[str, Any] | None
    after: Mapping[str, Any] | None
    actor: str


@dataclass
class Store:
    """Everything the fake database holds; a unit of work that raises restores it."""

    orders: dict[str, SalesOrder] = field(default_factory=dict)
    journal: list[tuple[str, HistoryEntry]] = field(default_factory=list)
    customers: dict[str, Customer] = field(default_factory=dict)
    balances: dict[tuple[str, str], tuple[Decimal, datetime]] = field(default_factory=dict)
    pipelines: dict[str, Pipeline] = field(default_factory=dict)
    costs: list[tuple[str, CostIncurred]] = field(default_factory=list)
    returns: dict[str, tuple[str, ReturnRequest, str]] = field(default_factory=dict)
    rates: dict[tuple[str, str, date], tuple[ExchangeRate, datetime]] = field(default_factory=dict)
    billing_holds: dict[str, str] = field(default_factory=dict)
    stalled: dict[str, StalledStep] = field(default_factory=dict)
    requests: dict[tuple[str, str], tuple[str, str | None]] = field(default_factory=dict)
    tasks: dict[str, Task] = field(default_factory=dict)
    # (subject, event id) -> entry; "invoice:<id>" / "quote:<id>" -> order id
    activity: dict[tuple[str, str], Entry] = field(default_factory=dict)
    links: dict[str, str] = field(default_factory=dict)
    # What the units of work published and logged, in order.
    published: list[DomainEvent] = field(default_factory=list)
    audit: list[AuditEntry] = field(default_factory=list)
    commits: int = 0


def _stored(order: SalesOrder) -> SalesOrder:
    """The order as the database gives it back: prices in the currency's decimals."""
    found = copy.deepcopy(order)
    for line in found.lines:
        line.unit_price = line.unit_price.trimmed()
    return found


def _column(amount: Decimal) -> Decimal:
    return amount.quantize(COLUMN)


class FakeSalesOrders:
    def __init__(self, store: Store) -> None:
        self.store = store

    async def add(self, order: SalesOrder, events: Sequence[SalesOrderEvent]) -> None:
        order.version = 1
        self.store.orders[order.id] = replace(_stored(order), updated_at=order.created_at)
        self._journal(order, events, order.created_at)

    async def get(self, order_id: str, for_update: bool = False) -> SalesOrder | None:
        found = self.store.orders.get(order_id)
        return None if found is None else copy.deepcopy(found)

    async def save(self, order: SalesOrder, events: Sequence[SalesOrderEvent]) -> None:
        stored = self.store.orders.get(order.id)
        if stored is None or stored.version != order.version:
            raise ConcurrentUpdate(order.id)
        now = datetime.now(UTC)
        kept = _stored(order)
        kept.version, kept.updated_at = order.version + 1, now
        self.store.orders[order.id] = kept
        self._journal(order, events, now)
        order.version += 1

    def _journal(self, order: SalesOrder, events: Sequence[SalesOrderEvent], at: datetime) -> None:
        for entry in journal_of(order.status, events):
            kept = HistoryEntry(
                len(self.store.journal) + 1,
                entry.from_status,
                entry.to_status,
                entry.reason,
                entry.note,
                current_principal().subject,
                causation_id(),
                at,
            )
            self.store.journal.append((order.id, kept))

    async def history(self, order_id: str, after: int, limit: int) -> list[HistoryEntry]:
        found = [e for oid, e in self.store.journal if oid == order_id and e.id > after]
        return found[:limit]

    def _matching(self, query: OrderQuery) -> list[SalesOrder]:
        stuck = {s.order_id for s in self.store.stalled.values() if s.status == STALLED}
        return [o for o in self.store.orders.values() if _matches(o, query, stuck)]

    async def page(
        self, query: OrderQuery, after: tuple[datetime, str] | None, limit: int
    ) -> list[SalesOrder]:
        found = sorted(self._matching(query), key=lambda o: (o.created_at, o.id), reverse=True)
        if after is not None:
            found = [o for o in found if (o.created_at, o.id) < after]
        return [copy.deepcopy(o) for o in found[:limit]]

    async def totals(self, query: OrderQuery) -> list[OrderTotals]:
        by_currency: dict[str, tuple[int, Decimal]] = {}
        for order in self._matching(query):
            count, total = by_currency.get(order.currency, (0, Decimal(0)))
            by_currency[order.currency] = (count + 1, total + _column(order.total.amount))
        return [OrderTotals(c, n, _column(t)) for c, (n, t) in sorted(by_currency.items())]

    async def open_orders(self, customer_id: str, besides: str) -> tuple[Money, ...]:
        owed: dict[str, Decimal] = {}
        for order in self.store.orders.values():
            if order.customer_id != customer_id or order.id == besides:
                continue
            if order.status in OPEN_STAGES:
                total = _column(order.total.amount)
                owed[order.currency] = owed.get(order.currency, Decimal(0)) + total
        return tuple(Money(owed[c], c) for c in sorted(owed))

    async def open_for_forecast(self, reach: Reach) -> list[OpenOrder]:
        return [
            OpenOrder(
                Money(_column(order.total.amount), order.currency),
                order.order_type,
                order.status,
                min(
                    (line.needed_by for line in order.lines if line.needed_by),
                    default=order.created_at.astimezone(UTC).date(),
                ),
            )
            for order in self._matching(OrderQuery(reach=reach))
            if order.status in OPEN_STAGES
        ]


def _matches(order: SalesOrder, query: OrderQuery, stalled: set[str] | None = None) -> bool:
    if query.status == STALLED:  # not a stage: the orders with a saga step stalled
        return order.id in (stalled or set()) and _matches(order, replace(query, status=""))
    wanted = (
        (order.status, query.status),
        (order.customer_id, query.customer_id),
        (order.id, query.order_id),
        (order.salesperson, query.salesperson),
        (order.channel, query.channel),
        (order.order_type, query.order_type),
    )
    if any(expected and value != expected for value, expected in wanted):
        return False
    if query.category_id and all(x.category_id != query.category_id for x in order.lines):
        return False
    if query.created_from is not None and order.created_at < query.created_from:
        return False
    if query.created_to is not None and order.created_at >= query.created_to:
        return False
    return query.reach.covers(order.salesperson, order.team)


class FakeCustomers:
    def __init__(self, store: Store) -> None:
        self.store = store

    async def add(self, customer: Customer) -> None:
        self.store.customers[customer.id] = customer

    async def get(self, customer_id: str, for_update: bool = False) -> Customer | None:
        found = self.store.customers.get(customer_id)
        if found is None or found.details.credit_limit is None:
            return found
        limit = found.details.credit_limit.trimmed()
        return replace(found, details=replace(found.details, credit_limit=limit))

    async def exists(self, customer_id: str) -> bool:
        return customer_id in self.store.customers

    async def save(self, customer: Customer) -> bool:
        stored = self.store.customers.get(customer.id)
        if stored is None or stored.version != customer.version - 1:
            return False
        self.store.customers[customer.id] = customer
        return True

    async def page(
        self, wanted: CustomerFilter, after: tuple[str, str] | None, limit: int
    ) -> list[Customer]:
        found = []
        for customer in self.store.customers.values():
            name = customer.details.name
            if not name.lower().startswith(wanted.name_prefix.lower()):
                continue
            if wanted.name_contains.lower() not in name.lower():
                continue
            if wanted.customer_group and customer.details.customer_group != wanted.customer_group:
                continue
            if after is not None and (name, customer.id) <= after:
                continue
            found.append(customer)
        found.sort(key=lambda c: (c.details.name, c.id))
        return [c for c in [await self.get(c.id) for c in found[:limit]] if c is not None]

    async def set_balance(self, customer_id: str, balance: Money, as_of: datetime) -> None:
        key = (customer_id, balance.currency)
        known = self.store.balances.get(key)
        if known is None or known[1] <= as_of:
            self.store.balances[key] = (_column(balance.amount), as_of)

    async def credit_position(self, customer_id: str) -> CreditPosition | None:
        customer = self.store.customers.get(customer_id)
        if customer is None:
            return None
        limit = customer.details.credit_limit
        balances = {c: b for (cid, c), (b, _) in self.store.balances.items() if cid == customer_id}
        amount = None if limit is None else limit.amount
        return credit_position(customer.details.currency, amount, balances)


class FakePipelines:
    def __init__(self, store: Store) -> None:
        self.store = store

    async def get(self, order_type: str) -> Pipeline:
        stored = self.store.pipelines.get(order_type)
        if stored is None:
            return stages.DEFAULTS.get(order_type, stages.STANDARD)
        return stored

    async def all(self) -> dict[str, Pipeline]:
        return dict(stages.DEFAULTS) | self.store.pipelines

    async def save(self, pipeline: Pipeline) -> None:
        self.store.pipelines[pipeline.order_type] = pipeline


class FakeOrderCosts:
    def __init__(self, store: Store) -> None:
        self.store = store

    async def add(self, cost: CostIncurred) -> str | None:
        if cost.source is not None and any(c.source == cost.source for _, c in self.store.costs):
            return None
        cost_id = str(uuid.uuid4())
        self.store.costs.append((cost_id, cost))
        return cost_id

    async def of(self, order_ids: Sequence[str]) -> dict[str, list[CostItem]]:
        found: dict[str, list[CostItem]] = {}
        for _, cost in self.store.costs:
            if cost.order_id in order_ids:
                item = CostItem(cost.kind, cost.amount, cost.description)
                found.setdefault(cost.order_id, []).append(item)
        return found


class FakeReturns:
    def __init__(self, store: Store) -> None:
        self.store = store

    async def add(self, order_id: str, request: ReturnRequest) -> None:
        self.store.returns[request.id] = (order_id, request, "authorized")

    async def returned_or_authorised(self, order_id: str) -> dict[str, int]:
        found: dict[str, int] = {}
        for oid, request, _ in self.store.returns.values():
            if oid == order_id:
                for line_id, quantity in request.lines.items():
                    found[line_id] = found.get(line_id, 0) + quantity
        return found

    async def mark_received(self, return_id: str) -> bool:
        known = self.store.returns.get(return_id)
        if known is None or known[2] != "authorized":
            return False
        self.store.returns[return_id] = (known[0], known[1], "received")
        return True


class FakeExchangeRates:
    def __init__(self, store: Store) -> None:
        self.store = store

    async def set(self, rate: ExchangeRate, set_at: datetime) -> None:
        key = (rate.base, rate.quote, rate.effective_from)
        known = self.store.rates.get(key)
        if known is None or known[1] <= set_at:
            self.store.rates[key] = (rate, set_at)

    async def current(self, currency: str, on: date) -> list[ExchangeRate]:
        latest: dict[tuple[str, str], ExchangeRate] = {}
        for (base, quote, day), (rate, _) in self.store.rates.items():
            if currency in (base, quote) and day <= on:
                known = latest.get((base, quote))
                if known is None or known.effective_from < day:
                    latest[(base, quote)] = rate
        return [latest[pair] for pair in sorted(latest)]


class FakeBillingHolds:
    def __init__(self, store: Store) -> None:
        self.store = store

    async def hold(self, customer_id: str, reason: str, at: datetime) -> None:
        self.store.billing_holds[customer_id] = reason

    async def release(self, customer_id: str) -> None:
        self.store.billing_holds.pop(customer_id, None)

    async def reason(self, customer_id: str) -> str:
        return self.store.billing_holds.get(customer_id, "")


class FakeProcessedRequests:
    def __init__(self, store: Store) -> None:
        self.store = store

    async def claim(self, operation: str, request_id: str, fingerprint: str) -> str | None:
        if not request_id:
            return None
        if len(request_id) > MAX_REQUEST_ID:
            raise InvalidArgument.of("request_id", f"at most {MAX_REQUEST_ID} characters")
        known = self.store.requests.get((operation, request_id))
        if known is None:
            self.store.requests[(operation, request_id)] = (fingerprint, None)
            return None
        if known[0] != fingerprint or known[1] is None:
            raise AlreadyExists(
                "this request_id was used for a different request",
                (FieldViolation("request_id", "already used with other content"),),
            )
        return known[1]

    async def complete(self, operation: str, request_id: str, result_id: str) -> None:
        if request_id:
            fingerprint, _ = self.store.requests[(operation, request_id)]
            self.store.requests[(operation, request_id)] = (fingerprint, result_id)


class FakeAuditTrail:
    def __init__(self, store: Store) -> None:
        self.store = store

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
        entry = AuditEntry(entity_type, entity_id, action, before, after, actor)
        self.store.audit.append(entry)

    async def record_all(
        self,
        entity_type: str,
        entity_id: str,
        changes: Sequence[tuple[str, Mapping[str, Any] | None, Mapping[str, Any] | None]],
    ) -> None:
        for action, before, after in changes:
            await self.record(entity_type, entity_id, action, before=before, after=after)


class FakeStalledSteps:
    def __init__(self, store: Store) -> None:
        self.store = store

    async def add(self, step: StalledStep) -> bool:
        if step.id in self.store.stalled:
            return False
        self.store.stalled[step.id] = copy.deepcopy(step)
        return True

    async def open_of(self, order_id: str) -> list[StalledStep]:
        return [s for s in await self.of_order(order_id) if s.status == STALLED]

    async def of_order(self, order_id: str) -> list[StalledStep]:
        found = [s for s in self.store.stalled.values() if s.order_id == order_id]
        return [copy.deepcopy(s) for s in sorted(found, key=lambda s: (s.stalled_at, s.id))]

    async def page(self, after: tuple[datetime, str] | None, limit: int) -> list[StalledStep]:
        found = sorted(
            (s for s in self.store.stalled.values() if s.status == STALLED),
            key=lambda s: (s.stalled_at, s.id),
        )
        found = [s for s in found if after is None or (s.stalled_at, s.id) > after]
        return [copy.deepcopy(s) for s in found[:limit]]

    async def save(self, step: StalledStep) -> None:
        self.store.stalled[step.id] = copy.deepcopy(step)

    async def awaiting_stock(
        self, placed_before: datetime, limit: int
    ) -> list[tuple[str, str, datetime]]:
        waiting = sorted(
            (o for o in self.store.orders.values() if o.stock_status == StockStatus.PENDING),
            key=lambda o: (o.created_at, o.id),
        )
        return [
            (o.id, o.quote_id, o.created_at)
            for o in waiting
            if o.created_at < placed_before
            and o.status not in (stages.CANCELLED, stages.ARCHIVED)
            and f"deadline:{o.id}" not in self.store.stalled
        ][:limit]


class FakeTasks:
    def __init__(self, store: Store) -> None:
        self.store = store

    async def add(self, task: Task) -> None:
        assert task.id not in self.store.tasks
        self.store.tasks[task.id] = task

    async def get(self, task_id: str, for_update: bool = False) -> Task | None:
        return self.store.tasks.get(task_id)

    async def save(self, task: Task) -> None:
        self.store.tasks[task.id] = task

    async def page(
        self, query: TaskQuery, after: tuple[date, str] | None, limit: int
    ) -> list[Task]:
        def wanted(t: Task) -> bool:
            return (
                (not query.assignee or t.assignee == query.assignee)
                and (not query.status or t.status == query.status)
                and (not query.subject_type or t.subject_type == query.subject_type)
                and (not query.subject_id or t.subject_id == query.subject_id)
                and (query.due_before is None or t.due_date < query.due_before)
                and (not query.visible_to or query.visible_to in (t.assignee, t.created_by))
                and (after is None or (t.due_date, t.id) > after)
            )

        found = sorted(filter(wanted, self.store.tasks.values()), key=lambda t: (t.due_date, t.id))
        return found[:limit]


class FakeActivity:
    def __init__(self, store: Store) -> None:
        self.store = store

    async def record(self, entries: Sequence[Entry], links: Sequence[Link]) -> None:
        for entry in entries:
            self.store.activity.setdefault((entry.subject, entry.event_id), entry)
        for link in links:
            self.store.links.setdefault(link.subject, link.order_id)

    async def timeline(self, order_id: str) -> list[Entry]:
        subjects = {order_id} | {s for s, o in self.store.links.items() if o == order_id}
        found = [e for (subject, _), e in self.store.activity.items() if subject in subjects]
        return sorted(found, key=lambda e: (e.at, e.event_id))


class FakeUnitOfWork:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.orders = FakeSalesOrders(store)
        self.customers = FakeCustomers(store)
        self.pipelines = FakePipelines(store)
        self.costs = FakeOrderCosts(store)
        self.returns = FakeReturns(store)
        self.rates = FakeExchangeRates(store)
        self.billing_holds = FakeBillingHolds(store)
        self.stalled = FakeStalledSteps(store)
        self.requests = FakeProcessedRequests(store)
        self.audit = FakeAuditTrail(store)
        self.tasks = FakeTasks(store)
        self.activity = FakeActivity(store)

    async def publish(self, events: Sequence[DomainEvent]) -> None:
        self.store.published.extend(events)


class FakeDatabase:
    """Units of work on one in-memory store: what a block that raises changed is undone."""

    def __init__(self) -> None:
        self.store = Store()

    @asynccontextmanager
    async def __call__(self) -> AsyncIterator[FakeUnitOfWork]:
        before = copy.deepcopy(self.store)
        try:
            yield FakeUnitOfWork(self.store)
        except BaseException:
            self._restore(before)
            raise
        self.store.commits += 1

    def _restore(self, before: Store) -> None:
        for name in vars(before):
            setattr(self.store, name, getattr(before, name))

    def joining(self, session: object = None) -> FakeUnitOfWork:
        """A unit of work inside a transaction someone else holds (the consumer's)."""
        return FakeUnitOfWork(self.store)

    def published(self, *kinds: type[Any]) -> list[Any]:
        return [e for e in self.store.published if not kinds or isinstance(e, kinds)]


class FakeCatalog:
    def __init__(self, products: Iterable[CatalogProduct] = ()) -> None:
        self.known = {p.id: p for p in products}
        # (customer group, product id, minimum quantity): unit price
        self.price_breaks: dict[tuple[str, str, int], Decimal] = {}
        # (tax zone, tax category): taxes
        self.tax_rules: dict[tuple[str, str], tuple[TaxRate, ...]] = {}
        self.down = False
        self.asked: list[list[str]] = []

    async def products(self, ids: Sequence[str]) -> dict[str, CatalogProduct]:
        self.asked.append(list(ids))
        if self.down:
            raise Unavailable("catalog cannot price the order now: down")
        return {i: self.known[i] for i in ids if i in self.known}

    async def prices(
        self, keys: set[PriceKey], customer_group: str, currency: str, on: date
    ) -> dict[PriceKey, ResolvedPrice | None]:
        """A (customer group, product) priced from a minimum quantity (the largest reached)."""
        found: dict[PriceKey, ResolvedPrice | None] = {}
        for product_id, quantity in keys:
            breaks = [
                (least, price)
                for (group, pid, least), price in self.price_breaks.items()
                if (group, pid) == (customer_group, product_id) and least <= quantity
            ]
            found[(product_id, quantity)] = (
                ResolvedPrice(max(breaks)[1], f"price list, from {max(breaks)[0]} units")
                if breaks
                else None
            )
        return found

    async def taxes(
        self, tax_zone: str, tax_categories: set[str], on: date
    ) -> dict[str, tuple[TaxRate, ...]]:
        return {c: self.tax_rules.get((tax_zone, c), ()) for c in tax_categories}


class Clock:
    """Now, a millisecond later at every look, so what is made in turn sorts in turn."""

    def __init__(self, start: datetime = datetime(2026, 11, 24, 9, tzinfo=UTC)) -> None:
        self.ticks = itertools.count()
        self.start = start

    def __call__(self) -> datetime:
        return self.start + timedelta(milliseconds=next(self.ticks))


def fake_deps(
    database: FakeDatabase | None = None, catalog: FakeCatalog | None = None
) -> tuple[Deps, FakeDatabase, FakeCatalog]:
    database = database or FakeDatabase()
    catalog = catalog or FakeCatalog()
    deps = Deps(unit_of_work=database, catalog=catalog, pipelines=PipelineCache(), clock=Clock())
    return deps, database, catalog
