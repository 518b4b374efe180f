"""ListCategories: the category tree, parents before children, a page at a time."""

from __future__ import annotations

from catalog.application.ports import UnitsOfWork
from catalog.application.reading import Page, page_of
from catalog.domain.categories import Category
from servicekit.paging import page_start


async def list_categories(units: UnitsOfWork, page_size: int, token: str) -> Page[Category]:
    limit, after = page_start(page_size, token)
    async with units() as uow:
        found = await uow.categories.page(after, limit + 1)
    return page_of(found, limit, lambda c: (c.path,))
