"""Hand-written fakes of quoting's ports (quoting.application.ports): in-memory repositories
that keep the contracts of tests/repository_contracts.py, client request ids, a unit of work
that commits or rolls back as one, a catalog, a printer and a clock."""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from types import TracebackType
from typing import Any

from pricing.document import PricedDocument, TaxRate
from pricing.taxation import CategoryTaxes
from quoting.application.ports import Ports, QuoteFilter, RequestFilter
from quoting.domain.catalog import CatalogItem, PriceKey, ResolvedPrice
from quoting.domain.content import QuoteContent
from quoting.domain.customer import Customer
from quoting.domain.events import QuoteEvent, RequestEvent
from quoting.domain.lost_demand import MonthlyLoss
from quoting.domain.model import OPEN, Quote
from quoting.domain.request import CustomerRequest, RequestStatus
from quoting.domain.template import Template
from servicekit.context import current_principal
from servicekit.errors import AlreadyExists, FieldViolation
from servicekit.sales_reach import Reach
from services.quoting.tests.builders import NOW


@dataclass
class StoredQuote:
    """A head row (the quote's state, with its latest version's content) and every version's
    content and document, as the database keeps them."""

    head: Quote
    versions: dict[int, tuple[QuoteContent, PricedDocument]]


@dataclass(frozen=True)
class AuditEntry:
    entity_type: str
    entity_id: str
    action: str
    actor: str
    before: Mapping[str, Any] | None
    after: Mapping[str, Any] | None


@dataclass
class Store:
    """What the database holds, shared by every unit of work on it."""

    quotes: dict[str, StoredQuote] = field(default_factory=dict)
    templates: dict[str, Template] = field(default_factory=dict)
    customers: dict[str, Customer] = field(default_factory=dict)
    requests: dict[str, CustomerRequest] = field(default_factory=dict)
    published: list[QuoteEvent | RequestEvent] = field(default_factory=list)
    audit: list[AuditEntry] = field(default_factory=list)
    # The last quote number taken per year.
    numbers: dict[int, int] = field(default_factory=dict)
    # The last request number taken per year.
    request_numbers: dict[int, int] = field(default_factory=dict)
    # (operation, client request id): (fingerprint, result id or None).
    processed: dict[tuple[str, str], tuple[str, str | None]] = field(default_factory=dict)


class FakeQuoteRepository:
    def __init__(self, store: Store) -> None:
        self.store = store

    async def next_number(self, year: int) -> int:
        self.store.numbers[year] = self.store.numbers.get(year, 0) + 1
        return self.store.numbers[year]

    async def add(self, quote: Quote) -> None:
        if quote.id in self.store.quotes:
            raise ValueError(f"duplicate key: quote {quote.id}")
        self.store.quotes[quote.id] = StoredQuote(copy.deepcopy(quote), {})
        await self.save(quote, quote.created_by)

    async def save(self, quote: Quote, actor: str) -> None:
        stored = self.store.quotes[quote.id]
        was = stored.head  # who made it, when, and in which team stay as they were
        stored.head = replace(
            copy.deepcopy(quote),
            created_at=was.created_at,
            created_by=was.created_by,
            team=was.team,
        )
        stored.versions[quote.version] = (quote.content, quote.document)

    async def get(self, quote_id: str, version: int = 0, for_update: bool = False) -> Quote | None:
        stored = self.store.quotes.get(quote_id)
        if stored is None:
            return None
        wanted = version or stored.head.latest_version
        if wanted not in stored.versions:
            return None
        content, document = stored.versions[wanted]
        return replace(
            copy.deepcopy(stored.head), version=wanted, content=content, document=document
        )

    async def page(
        self,
        visible: Reach,
        wanted: QuoteFilter,
        after: tuple[datetime, str] | None,
        limit: int,
    ) -> list[Quote]:
        found = [
            copy.deepcopy(stored.head)
            for stored in self.store.quotes.values()
            if _shown(stored.head, visible, wanted)
            and (after is None or (stored.head.created_at, stored.head.id) < after)
        ]
        found.sort(key=lambda q: (q.created_at, q.id), reverse=True)
        return found[:limit]

    async def open_past_validity(self, today: date, limit: int) -> list[str]:
        due = [
            quote_id
            for quote_id, stored in self.store.quotes.items()
            if stored.head.status in OPEN and stored.head.valid_until < today
        ]
        return due[:limit]


def _shown(quote: Quote, visible: Reach, wanted: QuoteFilter) -> bool:
    values = (
        quote.status.value,
        quote.content.customer_id,
        quote.salesperson,
        quote.approval.status.value,
    )
    filters = (wanted.status, wanted.customer_id, wanted.salesperson, wanted.approval)
    if any(f and f != value for f, value in zip(filters, values, strict=True)):
        return False
    return visible.covers(quote.salesperson, quote.team)


class FakeTemplateRepository:
    def __init__(self, store: Store) -> None:
        self.store = store

    async def add(self, template: Template) -> None:
        if template.id in self.store.templates:
            raise ValueError(f"duplicate key: template {template.id}")
        self.store.templates[template.id] = template

    async def get(self, template_id: str) -> Template | None:
        return self.store.templates.get(template_id)

    async def page(self, after: tuple[str, str] | None, limit: int) -> list[Template]:
        ordered = sorted(self.store.templates.values(), key=lambda t: (t.name, t.id))
        return [t for t in ordered if after is None or (t.name, t.id) > after][:limit]


class FakeCustomerRepository:
    def __init__(self, store: Store) -> None:
        self.store = store

    async def put(self, customer: Customer) -> None:
        self.store.customers[customer.customer_id] = customer

    async def get(self, customer_id: str) -> Customer | None:
        return self.store.customers.get(customer_id)


class FakeRequestRepository:
    def __init__(self, store: Store) -> None:
        self.store = store

    async def next_number(self, year: int) -> int:
        self.store.request_numbers[year] = self.store.request_numbers.get(year, 0) + 1
        return self.store.request_numbers[year]

    async def add(self, request: CustomerRequest) -> None:
        if request.id in self.store.requests:
            raise ValueError(f"duplicate key: customer request {request.id}")
        self.store.requests[request.id] = copy.deepcopy(request)

    async def save(self, request: CustomerRequest) -> None:
        was = self.store.requests[request.id]  # only its status and what closed it change
        self.store.requests[request.id] = replace(
            was,
            status=request.status,
            quote_id=request.quote_id,
            lost_reason=request.lost_reason,
            lost_note=request.lost_note,
            closed_at=request.closed_at,
        )

    async def get(self, request_id: str, for_update: bool = False) -> CustomerRequest | None:
        return copy.deepcopy(self.store.requests.get(request_id))

    async def page(
        self,
        visible: Reach,
        wanted: RequestFilter,
        after: tuple[datetime, str] | None,
        limit: int,
    ) -> list[CustomerRequest]:
        found = [
            copy.deepcopy(r)
            for r in self.store.requests.values()
            if _request_shown(r, visible, wanted)
            and (after is None or (r.created_at, r.id) < after)
        ]
        found.sort(key=lambda r: (r.created_at, r.id), reverse=True)
        return found[:limit]

    async def losses(self, visible: Reach, first: date, last: date) -> list[MonthlyLoss]:
        sums: dict[tuple[date, str, str], tuple[int, Any]] = {}
        for r in self.store.requests.values():
            if r.status is not RequestStatus.LOST or r.closed_at is None:
                continue
            day = r.closed_at.astimezone(UTC).date()
            if not (first <= day <= last and visible.covers(r.owner, r.team)):
                continue
            assert r.lost_reason is not None
            key = (day.replace(day=1), r.lost_reason.value, r.value_estimate.currency)
            count, value = sums.get(key, (0, 0))
            sums[key] = (count + 1, value + r.value_estimate.amount)
        return [MonthlyLoss(*key, *sums[key]) for key in sums]


def _request_shown(request: CustomerRequest, visible: Reach, wanted: RequestFilter) -> bool:
    values = (request.status.value, request.owner, request.source.value, request.customer_id)
    filters = (wanted.status, wanted.owner, wanted.source, wanted.customer_id)
    if any(f and f != value for f, value in zip(filters, values, strict=True)):
        return False
    day = request.created_at.astimezone(UTC).date()
    if (wanted.created_from and day < wanted.created_from) or (
        wanted.created_to and day > wanted.created_to
    ):
        return False
    return visible.covers(request.owner, request.team)


class FakeRetries:
    """servicekit.idempotency's rules on the store."""

    def __init__(self, store: Store) -> None:
        self.store = store

    async def claim(self, operation: str, request_id: str, fingerprint: str) -> str | None:
        if not request_id:
            return None
        done = self.store.processed.get((operation, request_id))
        if done is None:
            self.store.processed[(operation, request_id)] = (fingerprint, None)
            return None
        if done[0] != fingerprint or done[1] is None:
            raise AlreadyExists(
                "this request_id was used for a different request",
                (FieldViolation("request_id", "already used with other content"),),
            )
        return done[1]

    async def complete(self, operation: str, request_id: str, result_id: str) -> None:
        if request_id:
            fingerprint, _ = self.store.processed[(operation, request_id)]
            self.store.processed[(operation, request_id)] = (fingerprint, result_id)


class FakeUnitOfWork:
    """Works on the store directly and puts it back as it was when the block raises; events
    and change-log entries reach the store only when the block ends normally."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.quotes = FakeQuoteRepository(store)
        self.templates = FakeTemplateRepository(store)
        self.customers = FakeCustomerRepository(store)
        self.customer_requests = FakeRequestRepository(store)
        self.retries = FakeRetries(store)
        self.events: list[QuoteEvent | RequestEvent] = []
        self.entries: list[AuditEntry] = []

    async def __aenter__(self) -> FakeUnitOfWork:
        self._before = (
            copy.deepcopy(self.store.quotes),
            dict(self.store.templates),
            dict(self.store.customers),
            copy.deepcopy(self.store.requests),
            dict(self.store.processed),
            dict(self.store.numbers),
            dict(self.store.request_numbers),
        )
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if error is None:
            self.store.published += self.events
            self.store.audit += self.entries
        else:
            (
                self.store.quotes,
                self.store.templates,
                self.store.customers,
                self.store.requests,
                self.store.processed,
                self.store.numbers,
                self.store.request_numbers,
            ) = self._before

    async def publish(self, events: Sequence[QuoteEvent | RequestEvent]) -> None:
        self.events += events

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
        self.entries.append(AuditEntry(entity_type, entity_id, action, actor, before, after))


class FakeCatalog:
    """Knows `items`; prices every product in `unit_prices` at any quantity, in any currency
    and customer group; taxes each (tax zone, tax category) in `tax_rules` on any day."""

    def __init__(
        self,
        items: Sequence[CatalogItem],
        unit_prices: Mapping[str, ResolvedPrice],
        tax_rules: Mapping[tuple[str, str], tuple[TaxRate, ...]] | None = None,
    ) -> None:
        self.known = {i.sku: i for i in items} | {i.product_id: i for i in items}
        self.unit_prices = dict(unit_prices)
        self.tax_rules = dict(tax_rules or {})
        self.asked: list[tuple[str, object]] = []

    async def items(self, skus: set[str], ids: set[str]) -> dict[str, CatalogItem]:
        self.asked.append(("items", (skus, ids)))
        found = [self.known[key] for key in skus | ids if key in self.known]
        return {i.sku: i for i in found} | {i.product_id: i for i in found}

    async def prices(
        self, keys: set[PriceKey], customer_group: str, currency: str, on: date
    ) -> dict[PriceKey, ResolvedPrice | None]:
        self.asked.append(("prices", (keys, customer_group, currency, on)))
        return {key: self.unit_prices.get(key[0]) for key in keys}

    async def taxes(self, tax_zone: str, tax_categories: set[str], on: date) -> CategoryTaxes:
        self.asked.append(("taxes", (tax_zone, tax_categories, on)))
        return {c: self.tax_rules.get((tax_zone, c), ()) for c in tax_categories}


class FakePrinter:
    def render(self, quote: Quote, customer: Customer | None = None) -> bytes:
        to = customer.name if customer is not None else quote.content.customer_id
        return f"%PDF-fake {quote.number or quote.id} v{quote.version} to {to}".encode()


class FakeClock:
    def __init__(self, at: datetime = NOW) -> None:
        self.at = at

    def now(self) -> datetime:
        return self.at

    def today(self) -> date:
        return self.at.date()

    def advance(self, by: timedelta) -> None:
        self.at += by


def fake_ports(store: Store, catalog: FakeCatalog, clock: FakeClock | None = None) -> Ports:
    return Ports(
        uow=lambda: FakeUnitOfWork(store),
        catalog=catalog,
        printer=FakePrinter(),
        clock=clock or FakeClock(),
    )
