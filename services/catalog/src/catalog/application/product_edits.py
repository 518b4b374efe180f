"""What every use case that edits a product does: hold the product until its transaction ends,
and log the fields the edit changed."""

from __future__ import annotations

from catalog.application.ports import UnitOfWork
from catalog.application.records import PRODUCT, product_record
from catalog.domain.products import Product
from servicekit.changes import changed
from servicekit.errors import NotFound


async def locked_product(uow: UnitOfWork, product_id: str) -> Product:
    product = await uow.products.get_for_update(product_id)
    if product is None:
        raise NotFound(f"product {product_id} not found")
    return product


async def log_product_change(uow: UnitOfWork, before: Product, after: Product, action: str) -> None:
    old, new = changed(product_record(before), product_record(after))
    await uow.changes.record(PRODUCT, after.id, action, before=old, after=new)
