"""GetProduct and BatchGetProducts: products by id (or SKU), as the caller may see them."""

from __future__ import annotations

from collections.abc import Sequence

from catalog.application.ports import UnitsOfWork
from catalog.application.reading import Shown, shown
from catalog.domain.products import Product
from servicekit.errors import InvalidArgument, NotFound

# Products asked for in one call: a quote's lines, with room to spare.
MAX_BATCH = 5000


async def batch_get_products(
    units: UnitsOfWork, ids: Sequence[str], skus: Sequence[str] = ()
) -> Shown[list[Product]]:
    """The products with these ids or SKUs that exist, in no particular order."""
    if len(ids) + len(skus) > MAX_BATCH:
        raise InvalidArgument.of("product_ids", f"at most {MAX_BATCH} ids and SKUs in all")
    async with units() as uow:
        return shown(await uow.products.get_many(ids, skus))


async def get_product(units: UnitsOfWork, product_id: str) -> Shown[Product]:
    found = await batch_get_products(units, [product_id])
    if not found.value:
        raise NotFound(f"product {product_id} not found")
    return Shown(found.value[0], found.seen)
