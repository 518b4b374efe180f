"""ListVariants: a variable product's variants, by SKU, a page at a time."""

from __future__ import annotations

from catalog.application.ports import UnitsOfWork
from catalog.application.reading import Page, Shown, page_of, shown
from catalog.domain.products import Product
from servicekit.errors import NotFound
from servicekit.paging import page_start


async def list_variants(
    units: UnitsOfWork, parent_id: str, page_size: int, token: str
) -> Shown[Page[Product]]:
    limit, after = page_start(page_size, token)
    async with units() as uow:
        if not await uow.products.get_many([parent_id]):
            raise NotFound(f"product {parent_id} not found")
        found = await uow.products.variants(parent_id, after, limit + 1)
    return shown(page_of(found, limit, lambda p: (p.sku,)))
