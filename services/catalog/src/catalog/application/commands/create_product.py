"""CreateProduct: a new product (a variant, a kit, with pictures and suppliers), announced and
logged; a request sent again with the same id returns the first product."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from catalog.application.ports import ProductRepository, UnitsOfWork
from catalog.application.reading import Shown, shown
from catalog.application.records import PRODUCT, product_record
from catalog.domain import product_changes
from catalog.domain.products import NewProduct, Product, Related
from servicekit.context import current_principal
from servicekit.errors import AlreadyExists, InvalidArgument

# The operation whose request ids the catalog keeps.
OPERATION = "create_product"


@dataclass(frozen=True)
class CreateProduct:
    product: NewProduct
    # The client's id for this request ("" for none), and a fingerprint of what it asked.
    request_id: str = ""
    fingerprint: str = ""


async def create_product(units: UnitsOfWork, command: CreateProduct) -> Shown[Product]:
    """The new product; for a `request_id` seen before, the product that request created (what
    it asked, the fingerprint, must then be the same)."""
    request = command.product
    async with units() as uow:
        done = await uow.requests.claim(OPERATION, command.request_id, command.fingerprint)
        if done is not None:
            (first,) = await uow.products.get_many([done])
            return shown(first)
        related = await _related(uow.products, request)
        product, event = product_changes.create_product(
            request, datetime.now(UTC), current_principal().subject, related
        )
        category = product.category_id
        if category and not await uow.categories.get(category):
            raise InvalidArgument.of("category_id", "unknown category")
        if not await uow.products.add(product):
            raise AlreadyExists(f"SKU {request.sku!r} already exists")
        await uow.publish(event)
        await uow.changes.record(PRODUCT, product.id, "created", after=product_record(product))
        await uow.requests.complete(OPERATION, command.request_id, product.id)
    return shown(product)


async def _related(products: ProductRepository, request: NewProduct) -> Related:
    """The products a new one refers to. The parent stays locked until the transaction ends,
    so that two variants created at once cannot both take the same options."""
    parent = await products.get_for_update(request.parent_id) if request.parent_id else None
    ids = [product_id for product_id, _ in request.components]
    return Related(
        parent=parent,
        siblings=await products.variants(parent.id) if parent else [],
        components={p.id: p for p in await products.get_many(ids)} if ids else {},
    )
