"""Hand-written fakes of quoting's ports (quoting.application.ports): in-memory repositories
that keep the contracts of tests/repository_contracts.py, a unit of work that commits or rolls
back as one, a catalog, a printer and a clock."""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from types import TracebackType
from typing import Any

from pricing.document import PricedDocument, TaxRate
from pricing.taxation import CategoryTaxes
from quoting.application.ports import Ports, QuoteFilter
from quoting.domain.catalog import CatalogItem, PriceKey, ResolvedPrice
from quoting.domain.content import QuoteContent
from quoting.domain.customer import Customer
from quoting.domain.events import QuoteEvent
from quoting.domain.model import OPEN, Quote
from quoting.domain.template import Template
from servicekit.context import current_principal
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
    published: list[QuoteEvent] = field(default_factory=list)
    audit: list[AuditEntry] = field(default_factory=list)
    # The last quote number taken per year.
    numbers: dict[int, int] = field(default_factory=dict)


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


class FakeUnitOfWork:
    """Works on the store directly and puts it back as it was when the block raises; events
    and change-log entries reach the store only when the block ends normally."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.quotes = FakeQuoteRepository(store)
        self.templates = FakeTemplateRepository(store)
        self.customers = FakeCustomerRepository(store)
        self.events: list[QuoteEvent] = []
        self.entries: list[AuditEntry] = []

    async def __aenter__(self) -> FakeUnitOfWork:
        self._before = (
            copy.deepcopy(self.store.quotes),
            dict(self.store.templates),
            dict(self.store.customers),
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
            self.store.quotes, self.store.templates, self.store.customers = self._before

    async def publish(self, events: Sequence[QuoteEvent]) -> None:
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
