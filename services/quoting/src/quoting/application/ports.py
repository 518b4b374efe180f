"""What quoting's use cases need from the world, as Protocols: repositories of its aggregates
(quotes, templates, customer requests), the unit of work that holds them in one transaction with
the client request ids already done, the catalog, a printer and a clock.
quoting.adapters implements them; tests/unit/fakes.py fakes them."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from types import TracebackType
from typing import Any, Protocol

from pricing.taxation import CategoryTaxes
from quoting.domain.catalog import CatalogItem, PriceKey, ResolvedPrice
from quoting.domain.customer import Customer
from quoting.domain.events import QuoteEvent, RequestEvent
from quoting.domain.lost_demand import MonthlyLoss
from quoting.domain.model import DEFAULT_APPROVAL_ABOVE, Quote
from quoting.domain.request import CustomerRequest
from quoting.domain.template import Template
from servicekit.sales_reach import Reach


@dataclass(frozen=True)
class QuoteFilter:
    """Empty fields do not filter."""

    status: str = ""
    customer_id: str = ""
    salesperson: str = ""
    approval: str = ""  # the approval's status


class QuoteRepository(Protocol):
    async def add(self, quote: Quote) -> None:
        """A new quote and its first version."""

    async def next_number(self, year: int) -> int:
        """The year's next quote number (gap-free: its counter stays locked until the unit of
        work ends)."""

    async def save(self, quote: Quote, actor: str) -> None:
        """The quote's state and its current version (a new one after a revision), the
        version made by `actor`."""

    async def get(self, quote_id: str, version: int = 0, for_update: bool = False) -> Quote | None:
        """The quote as of `version` (0: the latest); `for_update` locks it until the unit of
        work ends."""

    async def page(
        self,
        visible: Reach,
        wanted: QuoteFilter,
        after: tuple[datetime, str] | None,
        limit: int,
    ) -> list[Quote]:
        """The latest versions of the quotes `visible` reaches, newest first; `after` is the
        (created_at, id) of the previous page's last quote."""

    async def open_past_validity(self, today: date, limit: int) -> list[str]:
        """Ids of drafts and sent quotes whose validity date is before `today`, locked for this
        unit of work and skipped by others (so replicas expire side by side)."""


class TemplateRepository(Protocol):
    async def add(self, template: Template) -> None: ...

    async def get(self, template_id: str) -> Template | None: ...

    async def page(self, after: tuple[str, str] | None, limit: int) -> list[Template]:
        """By name, then id; `after` is the (name, id) of the previous page's last one."""


class CustomerRepository(Protocol):
    async def put(self, customer: Customer) -> None:
        """Adds the account, or replaces the copy kept of it."""

    async def get(self, customer_id: str) -> Customer | None: ...


@dataclass(frozen=True)
class RequestFilter:
    """Empty fields (None days) do not filter; days are UTC, both included."""

    status: str = ""
    owner: str = ""
    source: str = ""
    customer_id: str = ""
    created_from: date | None = None
    created_to: date | None = None


class RequestRepository(Protocol):
    async def next_number(self, year: int) -> int:
        """The year's next request number (gap-free, like quotes')."""

    async def add(self, request: CustomerRequest) -> None: ...

    async def save(self, request: CustomerRequest) -> None:
        """Its status and what closed it (the rest never changes)."""

    async def get(self, request_id: str, for_update: bool = False) -> CustomerRequest | None:
        """`for_update` locks it until the unit of work ends."""

    async def page(
        self,
        visible: Reach,
        wanted: RequestFilter,
        after: tuple[datetime, str] | None,
        limit: int,
    ) -> list[CustomerRequest]:
        """The requests `visible` reaches, newest first; `after` is the (created_at, id) of the
        previous page's last one."""

    async def losses(self, visible: Reach, first: date, last: date) -> list[MonthlyLoss]:
        """The requests `visible` reaches lost from `first` to `last` (UTC days, both
        included), counted and summed per month, reason and currency."""


class Retries(Protocol):
    """Client request ids already done (servicekit.idempotency), in the unit of work."""

    async def claim(self, operation: str, request_id: str, fingerprint: str) -> str | None:
        """None when this unit of work now owns `request_id` (or there is none); the first
        result's id when it was done before; AlreadyExists when used with other content."""

    async def complete(self, operation: str, request_id: str, result_id: str) -> None: ...


class UnitOfWork(Protocol):
    """One transaction: its repositories, the events it publishes and the change log it
    writes all commit together when the `async with` block ends, or not at all."""

    @property
    def quotes(self) -> QuoteRepository: ...

    @property
    def templates(self) -> TemplateRepository: ...

    @property
    def customers(self) -> CustomerRepository: ...

    @property
    def customer_requests(self) -> RequestRepository: ...

    @property
    def retries(self) -> Retries: ...

    async def __aenter__(self) -> UnitOfWork: ...

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None: ...

    async def publish(self, events: Sequence[QuoteEvent | RequestEvent]) -> None:
        """Announces `events` once the transaction commits (the outbox)."""

    async def record(
        self,
        entity_type: str,
        entity_id: str,
        action: str,
        *,
        before: Mapping[str, Any] | None = None,
        after: Mapping[str, Any] | None = None,
    ) -> None:
        """A change-log entry, by the current principal."""


UnitOfWorkFactory = Callable[[], UnitOfWork]


class Catalog(Protocol):
    """The catalog service, asked on quoting's own account; Unavailable when it cannot answer."""

    async def items(self, skus: set[str], ids: set[str]) -> dict[str, CatalogItem]:
        """Items by SKU and by id; unknown ones are absent."""

    async def prices(
        self, keys: set[PriceKey], customer_group: str, currency: str, on: date
    ) -> dict[PriceKey, ResolvedPrice | None]:
        """Each (product, quantity)'s unit price, or None where nothing prices it."""

    async def taxes(self, tax_zone: str, tax_categories: set[str], on: date) -> CategoryTaxes:
        """The taxes each tax category carries in the zone on `on` (the catalog's tax rules);
        one call, however many categories."""


class QuotePrinter(Protocol):
    def render(self, quote: Quote, customer: Customer | None = None) -> bytes:
        """The quote as a printable PDF, addressed to `customer` when quoting knows them."""


class Clock(Protocol):
    def now(self) -> datetime: ...

    def today(self) -> date: ...


@dataclass(frozen=True)
class Ports:
    """Everything a use case may use, handed over by bootstrap."""

    uow: UnitOfWorkFactory
    catalog: Catalog
    printer: QuotePrinter
    clock: Clock
    # Discounts above this percentage of what they apply to need a sales manager's approval.
    approval_above: Decimal = DEFAULT_APPROVAL_ABOVE
