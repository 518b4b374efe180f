"""What the use cases need from the world, and nothing of how it is done: a repository per
aggregate, the change log, client request ids, and the unit of work that holds them in one
transaction. adapters/ implements them on PostgreSQL; tests/unit/fakes.py in memory."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from types import TracebackType
from typing import Any, Protocol

from catalog.domain.categories import Category
from catalog.domain.events import ProductEvent
from catalog.domain.pictures import Picture, PictureContent
from catalog.domain.price_lists import PriceList
from catalog.domain.products import ListPrice, Product
from catalog.domain.search import Search
from catalog.domain.tax_rules import TaxRule


class ProductRepository(Protocol):
    async def add(self, product: Product) -> bool:
        """Adds the product with its pictures, suppliers and components; False when its SKU is
        taken (nothing is written)."""

    async def get_many(self, ids: Sequence[str], skus: Sequence[str] = ()) -> list[Product]:
        """The products with these ids or these SKUs, in no particular order."""

    async def list_prices(self, ids: Sequence[str]) -> dict[str, ListPrice]:
        """The SKU and list price of each product with one of these ids, by id."""

    async def get_for_update(self, product_id: str) -> Product | None:
        """The product, which no other unit of work may change until this one ends."""

    async def save(self, product: Product) -> None:
        """Writes what a change may touch: name, description, list price, active, cost, category
        and tax category."""

    async def replace_suppliers(self, product: Product) -> None:
        """The product's suppliers become the ones it holds now."""

    async def add_picture(
        self, product_id: str, picture: Picture, content: PictureContent | None
    ) -> None:
        """Adds a picture to the product, with the bytes of a stored one."""

    async def picture_content(self, product_id: str, picture_id: str) -> PictureContent | None:
        """The bytes of the product's stored picture; None for a linked or unknown one."""

    async def variants(
        self, parent_id: str, after_sku: str = "", limit: int | None = None
    ) -> list[Product]:
        """The product's variants by SKU: after `after_sku`, at most `limit` (all by default)."""

    async def search(self, search: Search, after_sku: str, limit: int) -> list[Product]:
        """Products matching every criterion of `search`, by SKU, after `after_sku`."""


class CategoryRepository(Protocol):
    async def add(self, category: Category, created_by: str) -> None: ...

    async def get(self, category_id: str) -> Category | None: ...

    async def page(self, after_path: str, limit: int) -> list[Category]:
        """Categories by path (so parents before children), after `after_path`."""


class PriceListRepository(Protocol):
    async def add(self, price_list: PriceList, created_by: str) -> None: ...

    async def get(self, price_list_id: str) -> PriceList | None:
        """The list with its breaks, by product and minimum quantity."""

    async def page(
        self, customer_group: str, currency: str, after: tuple[str, str] | None, limit: int
    ) -> list[tuple[PriceList, int]]:
        """Lists by name and id, after `after` (name, id), of this customer group and currency
        when given; each without its breaks but with their count."""

    async def for_products(
        self, product_ids: Sequence[str], currency: str
    ) -> dict[str, list[PriceList]]:
        """Per product, the lists in `currency` that price it, each with only that product's
        breaks."""


class TaxRuleRepository(Protocol):
    async def add(self, rule: TaxRule, created_by: str) -> None: ...

    async def in_zone(self, tax_zone: str) -> list[TaxRule]:
        """The zone's rules ("": every zone's) by zone, tax category and code."""


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


class UnitOfWork(Protocol):
    """One transaction: its repositories, the events it publishes (an outbox) and its change
    log entries all commit together when the block ends normally, or none does."""

    @property
    def products(self) -> ProductRepository: ...
    @property
    def categories(self) -> CategoryRepository: ...
    @property
    def price_lists(self) -> PriceListRepository: ...
    @property
    def tax_rules(self) -> TaxRuleRepository: ...
    @property
    def changes(self) -> ChangeLog: ...
    @property
    def requests(self) -> ProcessedRequests: ...

    async def publish(self, *events: ProductEvent) -> None:
        """Announces the events once this unit of work commits (and only if it does)."""

    async def __aenter__(self) -> UnitOfWork: ...

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None: ...


# Each use case starts its own unit of work: `async with units() as uow: ...`.
UnitsOfWork = Callable[[], UnitOfWork]
