"""SearchProducts and ListProducts: products by SKU, a page at a time, those matching a search
or all of them. Only those who may see prices may search by price (a price range would tell
the price by halving it)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from catalog.application.ports import UnitsOfWork
from catalog.application.reading import Page, Shown, page_of, shown
from catalog.domain.products import Product
from catalog.domain.search import Search, search_criteria
from servicekit.errors import PermissionDenied
from servicekit.paging import page_start


@dataclass(frozen=True)
class SearchProducts:
    """A search as a client asks for it: empty strings mean "any"."""

    text: str = ""
    sku: str = ""
    category_id: str = ""
    attributes: Mapping[str, str] = field(default_factory=dict)
    min_price: str = ""
    max_price: str = ""
    page_size: int = 0
    page_token: str = ""


async def search_products(units: UnitsOfWork, query: SearchProducts) -> Shown[Page[Product]]:
    """A page of the products matching the search, by SKU, and the next page's token."""
    search = search_criteria(
        query.text,
        query.sku,
        query.category_id,
        query.attributes,
        query.min_price,
        query.max_price,
    )
    return await _found(units, search, query.page_size, query.page_token)


async def list_products(units: UnitsOfWork, page_size: int, token: str) -> Shown[Page[Product]]:
    """A page of products by SKU, and the token of the next page ("" on the last)."""
    return await _found(units, Search(), page_size, token)


async def _found(
    units: UnitsOfWork, search: Search, page_size: int, token: str
) -> Shown[Page[Product]]:
    found = shown(search)
    if search.by_price and not found.seen.prices:
        raise PermissionDenied("min_price and max_price are for those who may see prices")
    limit, after = page_start(page_size, token)
    async with units() as uow:
        products = await uow.products.search(search, after, limit + 1)
    return Shown(page_of(products, limit, lambda p: (p.sku,)), found.seen)
