"""Catalog use cases: each is one transaction in which state and outgoing events commit together."""

from __future__ import annotations

import base64
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime

from google.protobuf.message import Message

from catalog.adapters.price_lists import PriceListRepository
from catalog.adapters.repository import CategoryRepository, ProductRepository
from catalog.domain.model import (
    Category,
    NewProduct,
    NewSupplier,
    PictureContent,
    Product,
    ProductId,
    Related,
    Search,
    add_picture,
    create_product,
    new_category,
    set_suppliers,
)
from catalog.domain.pricing_rules import PriceList, ResolvedPrice, new_price_list, resolve_price
from messaging.outbox import Outbox
from servicekit.context import current_principal
from servicekit.db import Database
from servicekit.errors import AlreadyExists, FailedPrecondition, InvalidArgument, NotFound

MAX_PAGE = 500
# Products or prices asked for in one call: a quote's lines, with room to spare.
MAX_BATCH = 5000
Changed = tuple[Product, Message]


class Catalog:
    def __init__(self, database: Database, outbox: Outbox) -> None:
        self.database = database
        self.outbox = outbox

    async def create_product(self, request: NewProduct) -> Product:
        async with self.database.transaction() as session:
            repository = ProductRepository(session)
            related = await _related(repository, request)
            product, event = create_product(
                request, datetime.now(UTC), current_principal().subject, related
            )
            category = product.category_id
            if category and not await CategoryRepository(session).get(category):
                raise InvalidArgument.of("category_id", "unknown category")
            if not await repository.add(product):
                raise AlreadyExists(f"SKU {request.sku!r} already exists")
            await self.outbox.add(session, event, key=product.id)
        return product

    async def change(self, product_id: str, change: Callable[[Product], Changed]) -> Product:
        """Applies one change to a product in one transaction with the event it causes."""
        async with self.database.transaction() as session:
            repository = ProductRepository(session)
            changed, event = change(await _locked(repository, product_id))
            await repository.save(changed)
            await self.outbox.add(session, event, key=product_id)
        return changed

    async def set_suppliers(self, product_id: str, suppliers: Sequence[NewSupplier]) -> Product:
        async with self.database.transaction() as session:
            repository = ProductRepository(session)
            changed = set_suppliers(await _locked(repository, product_id), suppliers)
            await repository.replace_suppliers(changed)
        return changed

    async def add_picture(
        self, product_id: str, url: str, content: bytes, content_type: str, alt_text: str
    ) -> Product:
        async with self.database.transaction() as session:
            repository = ProductRepository(session)
            product = await _locked(repository, product_id)
            changed, picture, stored = add_picture(product, url, content, content_type, alt_text)
            await repository.add_picture(product_id, picture, stored)
        return changed

    async def picture_content(self, product_id: str, picture_id: str) -> PictureContent:
        async with self.database.transaction() as session:
            found = await ProductRepository(session).picture_content(product_id, picture_id)
        if found is None:
            raise NotFound(f"product {product_id} has no stored picture {picture_id}")
        return found

    async def list_variants(self, parent_id: str) -> list[Product]:
        async with self.database.transaction() as session:
            repository = ProductRepository(session)
            if not await repository.get_many([parent_id]):
                raise NotFound(f"product {parent_id} not found")
            return await repository.variants(parent_id)

    async def get_products(self, ids: Sequence[str], skus: Sequence[str] = ()) -> list[Product]:
        if len(ids) + len(skus) > MAX_BATCH:
            raise InvalidArgument.of("product_ids", f"at most {MAX_BATCH} ids and SKUs in all")
        async with self.database.transaction() as session:
            return await ProductRepository(session).get_many(ids, skus)

    async def get_product(self, product_id: str) -> Product:
        found = await self.get_products([product_id])
        if not found:
            raise NotFound(f"product {product_id} not found")
        return found[0]

    async def list_products(self, page_size: int, page_token: str) -> tuple[list[Product], str]:
        """A page of products by SKU, and the token of the next page ("" on the last)."""
        limit, after = _page(page_size, page_token)
        async with self.database.transaction() as session:
            found = await ProductRepository(session).page(after, limit + 1)
        return _paged(found, limit)

    async def create_category(self, name: str, parent_id: str) -> Category:
        async with self.database.transaction() as session:
            repository = CategoryRepository(session)
            parent = await repository.get(parent_id) if parent_id else None
            if parent_id and parent is None:
                raise NotFound(f"category {parent_id} not found")
            category = new_category(name, parent)
            await repository.add(category, current_principal().subject)
        return category

    async def list_categories(self) -> list[Category]:
        async with self.database.transaction() as session:
            return await CategoryRepository(session).all()

    async def search(
        self, search: Search, page_size: int, page_token: str
    ) -> tuple[list[Product], str]:
        limit, after = _page(page_size, page_token)
        async with self.database.transaction() as session:
            found = await ProductRepository(session).search(search, after, limit + 1)
        return _paged(found, limit)


async def _locked(repository: ProductRepository, product_id: str) -> Product:
    product = await repository.get_for_update(product_id)
    if product is None:
        raise NotFound(f"product {product_id} not found")
    return product


async def _related(repository: ProductRepository, request: NewProduct) -> Related:
    """The products a new one refers to. The parent stays locked until the transaction ends,
    so that two variants created at once cannot both take the same options."""
    parent = await repository.get_for_update(request.parent_id) if request.parent_id else None
    ids = [product_id for product_id, _ in request.components]
    return Related(
        parent=parent,
        siblings=await repository.variants(parent.id) if parent else [],
        components={p.id: p for p in await repository.get_many(ids)} if ids else {},
    )


def _page(page_size: int, page_token: str) -> tuple[int, str]:
    """The page size and the SKU to continue after."""
    if not 0 <= page_size <= MAX_PAGE:
        raise InvalidArgument.of("page_size", f"must be between 1 and {MAX_PAGE}")
    try:
        after = base64.urlsafe_b64decode(page_token.encode()).decode() if page_token else ""
    except ValueError as error:
        raise InvalidArgument.of("page_token", "not a token this API issued") from error
    return page_size or 50, after


def _paged(found: list[Product], limit: int) -> tuple[list[Product], str]:
    """The page, and the next page's token ("" on the last page)."""
    if len(found) <= limit:
        return found, ""
    return found[:limit], base64.urlsafe_b64encode(found[limit - 1].sku.encode()).decode()


class Pricing:
    """Price lists, and the one place a product's price for a customer is decided."""

    def __init__(self, database: Database) -> None:
        self.database = database

    async def create_price_list(
        self,
        name: str,
        currency: str,
        customer_group: str,
        valid_from: str,
        valid_to: str,
        breaks: list[tuple[str, int, str]],
    ) -> PriceList:
        price_list = new_price_list(
            name,
            currency,
            customer_group,
            _date("valid_from", valid_from),
            _date("valid_to", valid_to),
            breaks,
        )
        async with self.database.transaction() as session:
            known = {
                p.id for p in await ProductRepository(session).get_many([b[0] for b in breaks])
            }
            unknown = [i for i, b in enumerate(breaks) if b[0] not in known]
            if unknown:
                raise InvalidArgument.of(f"breaks[{unknown[0]}].product_id", "unknown product")
            await PriceListRepository(session).add(price_list, current_principal().subject)
        return price_list

    async def resolve(
        self, product_id: str, customer_group: str, currency: str, quantity: int, on: str
    ) -> ResolvedPrice:
        if quantity < 1:
            raise InvalidArgument.of("quantity", "at least 1")
        (found,) = await self.resolve_many(customer_group, currency, on, [(product_id, quantity)])
        if isinstance(found, str):
            raise (NotFound if found.startswith("no product") else FailedPrecondition)(found)
        return found

    async def resolve_many(
        self, customer_group: str, currency: str, on: str, queries: Sequence[tuple[str, int]]
    ) -> list[ResolvedPrice | str]:
        """Each (product, quantity)'s price, or why there is none, in the order asked."""
        if len(queries) > MAX_BATCH:
            raise InvalidArgument.of("queries", f"at most {MAX_BATCH}")
        for i, (_, quantity) in enumerate(queries):
            if quantity < 1:
                raise InvalidArgument.of(f"queries[{i}].quantity", "at least 1")
        day = _date("date", on) or datetime.now(UTC).date()
        ids = sorted({product_id for product_id, _ in queries})
        async with self.database.transaction() as session:
            products = {p.id: p for p in await ProductRepository(session).get_many(ids)}
            lists = await PriceListRepository(session).for_products(ids, currency)
        answers: list[ResolvedPrice | str] = []
        for product_id, quantity in queries:
            product = products.get(ProductId(product_id))
            if product is None:
                answers.append(f"no product {product_id}")
                continue
            found = resolve_price(
                product_id,
                product.list_price,
                customer_group,
                currency,
                quantity,
                day,
                lists.get(product_id, []),
            )
            answers.append(found or f"{product.sku} has no price in {currency}")
        return answers


def _date(field: str, value: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise InvalidArgument.of(field, "a date as YYYY-MM-DD") from error
