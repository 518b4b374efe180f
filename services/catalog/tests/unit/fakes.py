"""The catalog's ports in memory, for use-case tests in milliseconds. They pass the same contract
tests as the PostgreSQL adapters (tests/repository_contracts.py), so they cannot drift from them.

`FakeCatalog()` is the database: calling it starts a unit of work (`UnitsOfWork`), which works on
a copy of the committed state and commits it when its block ends normally."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from types import TracebackType
from typing import Any

from catalog.domain.categories import Category
from catalog.domain.events import ProductEvent
from catalog.domain.pictures import Picture, PictureContent
from catalog.domain.price_lists import PriceList
from catalog.domain.products import ListPrice, Product
from catalog.domain.search import Search, search_words
from catalog.domain.tax_rules import TaxRule
from servicekit.context import current_principal
from servicekit.errors import AlreadyExists, FieldViolation, InvalidArgument
from servicekit.idempotency import MAX_REQUEST_ID


@dataclass(frozen=True)
class Change:
    """An entry of the change log, as the audit API shows it (values as JSON has them)."""

    entity_type: str
    entity_id: str
    action: str
    actor: str
    before: Any
    after: Any


@dataclass
class State:
    products: dict[str, Product] = field(default_factory=dict)
    # picture id: (product id, bytes)
    picture_contents: dict[str, tuple[str, PictureContent]] = field(default_factory=dict)
    categories: dict[str, Category] = field(default_factory=dict)
    price_lists: dict[str, PriceList] = field(default_factory=dict)
    tax_rules: dict[str, TaxRule] = field(default_factory=dict)
    created_by: dict[str, str] = field(default_factory=dict)
    # (operation, request id): (fingerprint, result id)
    requests: dict[tuple[str, str], tuple[str, str | None]] = field(default_factory=dict)
    published: list[ProductEvent] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)

    def copy(self) -> State:
        """What a unit of work changes; everything in it is immutable but the containers."""
        return State(
            dict(self.products),
            dict(self.picture_contents),
            dict(self.categories),
            dict(self.price_lists),
            dict(self.tax_rules),
            dict(self.created_by),
            dict(self.requests),
            list(self.published),
            list(self.changes),
        )


class FakeProductRepository:
    def __init__(self, state: State) -> None:
        self.state = state

    async def add(self, product: Product) -> bool:
        if any(p.sku == product.sku for p in self.state.products.values()):
            return False
        self.state.products[product.id] = product
        return True

    async def get_many(self, ids: Sequence[str], skus: Sequence[str] = ()) -> list[Product]:
        return [self._read(p) for p in self.state.products.values() if p.id in ids or p.sku in skus]

    async def list_prices(self, ids: Sequence[str]) -> dict[str, ListPrice]:
        found = await self.get_many(ids)
        return {p.id: ListPrice(p.sku, p.list_price) for p in found}

    async def get_for_update(self, product_id: str) -> Product | None:
        found = self.state.products.get(product_id)
        return self._read(found) if found else None

    async def save(self, product: Product) -> None:
        stored = self.state.products[product.id]
        self.state.products[product.id] = replace(
            stored,
            name=product.name,
            description=product.description,
            list_price=product.list_price,
            active=product.active,
            cost=product.cost,
            category_id=product.category_id,
            tax_category=product.tax_category,
        )

    async def replace_suppliers(self, product: Product) -> None:
        stored = self.state.products[product.id]
        self.state.products[product.id] = replace(stored, suppliers=product.suppliers)

    async def add_picture(
        self, product_id: str, picture: Picture, content: PictureContent | None
    ) -> None:
        stored = self.state.products[product_id]
        self.state.products[product_id] = replace(stored, pictures=(*stored.pictures, picture))
        if content is not None:
            self.state.picture_contents[picture.id] = (product_id, content)

    async def picture_content(self, product_id: str, picture_id: str) -> PictureContent | None:
        owner, content = self.state.picture_contents.get(picture_id, ("", None))
        return content if owner == product_id else None

    async def variants(
        self, parent_id: str, after_sku: str = "", limit: int | None = None
    ) -> list[Product]:
        found = [p for p in self._by_sku(after_sku) if p.parent_id == parent_id]
        return found[:limit]

    async def search(self, search: Search, after_sku: str, limit: int) -> list[Product]:
        return [p for p in self._by_sku(after_sku) if self._matches(p, search)][:limit]

    def _by_sku(self, after_sku: str) -> list[Product]:
        found = sorted(self.state.products.values(), key=lambda p: p.sku)
        return [self._read(p) for p in found if p.sku > after_sku]

    def _matches(self, product: Product, search: Search) -> bool:
        price = product.list_price.amount
        return (
            _has_words(product.name, search.text)
            and (not search.sku or product.sku == search.sku)
            and (not search.category_id or self._inside(product.category_id, search.category_id))
            and all(product.attributes.get(k) == v for k, v in search.attributes.items())
            and (search.min_price is None or price >= search.min_price)
            and (search.max_price is None or price <= search.max_price)
        )

    def _inside(self, category_id: str | None, branch_id: str) -> bool:
        branch = self.state.categories.get(branch_id)
        category = self.state.categories.get(category_id or "")
        return branch is not None and category is not None and category.path.startswith(branch.path)

    @staticmethod
    def _read(product: Product) -> Product:
        """As PostgreSQL gives it back: the list price without zeros beyond the currency's
        decimals, pictures in position order."""
        pictures = tuple(sorted(product.pictures, key=lambda p: p.position))
        return replace(product, list_price=product.list_price.trimmed(), pictures=pictures)


def _has_words(name: str, text: str) -> bool:
    """Every word of `text` is a word of `name`; the last may be the start of one (the meaning
    adapters/products.text_query gives PostgreSQL)."""
    wanted = search_words(text)
    if not wanted:
        return True
    *whole, last = wanted
    words = search_words(name)
    return all(w in words for w in whole) and any(w.startswith(last) for w in words)


class FakeCategoryRepository:
    def __init__(self, state: State) -> None:
        self.state = state

    async def add(self, category: Category, created_by: str) -> None:
        self.state.categories[category.id] = category
        self.state.created_by[category.id] = created_by

    async def get(self, category_id: str) -> Category | None:
        return self.state.categories.get(category_id)

    async def page(self, after_path: str, limit: int) -> list[Category]:
        found = sorted(self.state.categories.values(), key=lambda c: c.path)
        return [c for c in found if c.path > after_path][:limit]


class FakePriceListRepository:
    def __init__(self, state: State) -> None:
        self.state = state

    async def add(self, price_list: PriceList, created_by: str) -> None:
        self.state.price_lists[price_list.id] = price_list
        self.state.created_by[price_list.id] = created_by

    async def get(self, price_list_id: str) -> PriceList | None:
        found = self.state.price_lists.get(price_list_id)
        if found is None:
            return None
        ordered = sorted(found.breaks, key=lambda b: (b.product_id, b.min_quantity))
        return replace(found, breaks=tuple(ordered))

    async def page(
        self, customer_group: str, currency: str, after: tuple[str, str] | None, limit: int
    ) -> list[tuple[PriceList, int]]:
        found = sorted(self.state.price_lists.values(), key=lambda p: (p.name, p.id))
        return [
            (replace(p, breaks=()), len(p.breaks))
            for p in found
            if (not customer_group or p.customer_group == customer_group)
            and (not currency or p.currency == currency)
            and (after is None or (p.name, p.id) > after)
        ][:limit]

    async def for_products(
        self, product_ids: Sequence[str], currency: str
    ) -> dict[str, list[PriceList]]:
        by_product: dict[str, list[PriceList]] = {}
        for price_list in self.state.price_lists.values():
            if price_list.currency != currency:
                continue
            for product_id in dict.fromkeys(b.product_id for b in price_list.breaks):
                if product_id in product_ids:
                    own = tuple(b for b in price_list.breaks if b.product_id == product_id)
                    by_product.setdefault(product_id, []).append(replace(price_list, breaks=own))
        return by_product


class FakeTaxRuleRepository:
    def __init__(self, state: State) -> None:
        self.state = state

    async def add(self, rule: TaxRule, created_by: str) -> None:
        self.state.tax_rules[rule.id] = rule
        self.state.created_by[rule.id] = created_by

    async def in_zone(self, tax_zone: str) -> list[TaxRule]:
        return sorted(
            (r for r in self.state.tax_rules.values() if not tax_zone or r.tax_zone == tax_zone),
            key=lambda r: (r.tax_zone, r.tax_category, r.code, r.id),
        )


class FakeChangeLog:
    def __init__(self, state: State) -> None:
        self.state = state

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
        self.state.changes.append(
            Change(entity_type, entity_id, action, actor, _as_json(before), _as_json(after))
        )


def _as_json(value: Mapping[str, Any] | None) -> Any:
    """What the audit log keeps: JSON, with money and dates as text."""
    return None if value is None else json.loads(json.dumps(value, default=str))


class FakeProcessedRequests:
    def __init__(self, state: State) -> None:
        self.state = state

    async def claim(self, operation: str, request_id: str, fingerprint: str) -> str | None:
        if not request_id:
            return None
        if len(request_id) > MAX_REQUEST_ID:
            raise InvalidArgument.of("request_id", f"at most {MAX_REQUEST_ID} characters")
        first = self.state.requests.get((operation, request_id))
        if first is None:
            self.state.requests[(operation, request_id)] = (fingerprint, None)
            return None
        if first[0] != fingerprint or first[1] is None:
            raise AlreadyExists(
                "this request_id was used for a different request",
                (FieldViolation("request_id", "already used with other content"),),
            )
        return first[1]

    async def complete(self, operation: str, request_id: str, result_id: str) -> None:
        if request_id:
            fingerprint, _ = self.state.requests[(operation, request_id)]
            self.state.requests[(operation, request_id)] = (fingerprint, result_id)


class FakeUnitOfWork:
    def __init__(self, catalog: FakeCatalog) -> None:
        self.catalog = catalog
        self.state = catalog.state.copy()
        self.products = FakeProductRepository(self.state)
        self.categories = FakeCategoryRepository(self.state)
        self.price_lists = FakePriceListRepository(self.state)
        self.tax_rules = FakeTaxRuleRepository(self.state)
        self.changes = FakeChangeLog(self.state)
        self.requests = FakeProcessedRequests(self.state)

    async def publish(self, *events: ProductEvent) -> None:
        self.state.published.extend(events)

    async def __aenter__(self) -> FakeUnitOfWork:
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if kind is None:
            self.catalog.state = self.state
            self.catalog.commits += 1


class FakeCatalog:
    """The catalog's database in memory; call it for a unit of work."""

    def __init__(self) -> None:
        self.state = State()
        self.commits = 0

    def __call__(self) -> FakeUnitOfWork:
        return FakeUnitOfWork(self)
