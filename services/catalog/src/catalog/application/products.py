"""Product and category use cases: each is one transaction in which the state, the outgoing
event and the change log's entry commit together."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from google.protobuf.message import Message
from sqlalchemy.ext.asyncio import AsyncSession

from catalog.adapters.repository import CategoryRepository, ProductRepository
from catalog.application.records import (
    CATEGORY,
    PRODUCT,
    category_record,
    product_record,
)
from catalog.domain.model import (
    NewProduct,
    NewSupplier,
    Product,
    Related,
    add_picture,
    change_details,
    change_price,
    create_product,
    discontinue,
    set_suppliers,
)
from catalog.domain.pictures import PictureContent
from catalog.domain.rights import visibility
from catalog.domain.search import Category, Search, new_category
from messaging.outbox import Outbox
from servicekit.audit import AuditLog, changed
from servicekit.context import current_principal
from servicekit.db import Database
from servicekit.errors import AlreadyExists, InvalidArgument, NotFound, PermissionDenied
from servicekit.idempotency import ProcessedRequests
from servicekit.paging import keyed_page, page_start

# Products asked for in one call: a quote's lines, with room to spare.
MAX_BATCH = 5000
CREATE_PRODUCT = "create_product"
Changed = tuple[Product, Message]


class Catalog:
    def __init__(
        self, database: Database, outbox: Outbox, audit: AuditLog, requests: ProcessedRequests
    ) -> None:
        self.database = database
        self.outbox = outbox
        self.audit = audit
        self.requests = requests

    async def create_product(self, request: NewProduct, request_id: str, sent: Message) -> Product:
        """The new product; for a `request_id` seen before, the product that request created
        (`sent`, the request as it came, must then be the same)."""
        async with self.database.transaction() as session:
            repository = ProductRepository(session)
            done = await self.requests.claim(session, CREATE_PRODUCT, request_id, sent)
            if done is not None:
                (first,) = await repository.get_many([done])
                return first
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
            await self.audit.record(
                session, PRODUCT, product.id, "created", after=product_record(product)
            )
            await self.requests.complete(session, CREATE_PRODUCT, request_id, product.id)
        return product

    async def change_details(self, product_id: str, name: str, description: str) -> Product:
        return await self._change(
            product_id, "changed", lambda p: change_details(p, name, description)
        )

    async def change_list_price(self, product_id: str, amount: str, currency: str) -> Product:
        return await self._change(
            product_id, "list_price_changed", lambda p: change_price(p, amount, currency)
        )

    async def discontinue(self, product_id: str) -> Product:
        return await self._change(product_id, "discontinued", discontinue)

    async def _change(
        self, product_id: str, action: str, change: Callable[[Product], Changed]
    ) -> Product:
        """Applies one change to a product with the event it causes and its log entry."""
        async with self.database.transaction() as session:
            repository = ProductRepository(session)
            before = await _locked(repository, product_id)
            after, event = change(before)
            await repository.save(after)
            await self.outbox.add(session, event, key=product_id)
            await self._log_change(session, before, after, action)
        return after

    async def set_suppliers(self, product_id: str, suppliers: Sequence[NewSupplier]) -> Product:
        async with self.database.transaction() as session:
            repository = ProductRepository(session)
            before = await _locked(repository, product_id)
            after = set_suppliers(before, suppliers)
            await repository.replace_suppliers(after)
            await self._log_change(session, before, after, "suppliers_set")
        return after

    async def add_picture(
        self, product_id: str, url: str, content: bytes, content_type: str, alt_text: str
    ) -> Product:
        async with self.database.transaction() as session:
            repository = ProductRepository(session)
            before = await _locked(repository, product_id)
            after, picture, stored = add_picture(before, url, content, content_type, alt_text)
            await repository.add_picture(product_id, picture, stored)
            await self._log_change(session, before, after, "picture_added")
        return after

    async def _log_change(
        self, session: AsyncSession, before: Product, after: Product, action: str
    ) -> None:
        old, new = changed(product_record(before), product_record(after))
        await self.audit.record(session, PRODUCT, after.id, action, before=old, after=new)

    async def picture_content(self, product_id: str, picture_id: str) -> PictureContent:
        async with self.database.transaction() as session:
            found = await ProductRepository(session).picture_content(product_id, picture_id)
        if found is None:
            raise NotFound(f"product {product_id} has no stored picture {picture_id}")
        return found

    async def list_variants(
        self, parent_id: str, page_size: int, token: str
    ) -> tuple[list[Product], str]:
        """A page of the product's variants by SKU, and the next page's token."""
        limit, after = page_start(page_size, token)
        async with self.database.transaction() as session:
            repository = ProductRepository(session)
            if not await repository.get_many([parent_id]):
                raise NotFound(f"product {parent_id} not found")
            found = await repository.variants(parent_id, after, limit + 1)
        return keyed_page(found, limit, lambda p: (p.sku,))

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

    async def list_products(self, page_size: int, token: str) -> tuple[list[Product], str]:
        """A page of products by SKU, and the token of the next page ("" on the last)."""
        return await self.search(Search(), page_size, token)

    async def search(self, search: Search, page_size: int, token: str) -> tuple[list[Product], str]:
        """A page of the products matching `search`, by SKU, and the next page's token."""
        if search.by_price and not visibility(current_principal()).prices:
            raise PermissionDenied("min_price and max_price are for those who may see prices")
        limit, after = page_start(page_size, token)
        async with self.database.transaction() as session:
            found = await ProductRepository(session).search(search, after, limit + 1)
        return keyed_page(found, limit, lambda p: (p.sku,))

    async def create_category(self, name: str, parent_id: str) -> Category:
        async with self.database.transaction() as session:
            repository = CategoryRepository(session)
            parent = await repository.get(parent_id) if parent_id else None
            if parent_id and parent is None:
                raise NotFound(f"category {parent_id} not found")
            category = new_category(name, parent)
            await repository.add(category, current_principal().subject)
            await self.audit.record(
                session, CATEGORY, category.id, "created", after=category_record(category)
            )
        return category

    async def list_categories(self, page_size: int, token: str) -> tuple[list[Category], str]:
        """A page of the category tree, parents before children, and the next page's token."""
        limit, after = page_start(page_size, token)
        async with self.database.transaction() as session:
            found = await CategoryRepository(session).page(after, limit + 1)
        return keyed_page(found, limit, lambda c: (c.path,))


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
