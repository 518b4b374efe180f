"""ListPriceLists and GetPriceList: the lists by name, a page at a time (without their breaks,
with how many they have), or one list with its breaks."""

from __future__ import annotations

from dataclasses import dataclass

from catalog.application.ports import UnitsOfWork
from catalog.application.reading import Page, page_of
from catalog.domain.price_lists import PriceList
from servicekit.errors import NotFound
from servicekit.paging import page_after, page_limit


@dataclass(frozen=True)
class ListPriceLists:
    # "" for any
    customer_group: str = ""
    currency: str = ""
    page_size: int = 0
    page_token: str = ""


async def list_price_lists(
    units: UnitsOfWork, query: ListPriceLists
) -> Page[tuple[PriceList, int]]:
    limit, after = page_limit(query.page_size), page_after(query.page_token, 2)
    async with units() as uow:
        found = await uow.price_lists.page(
            query.customer_group,
            query.currency,
            (after[0], after[1]) if after else None,
            limit + 1,
        )
    return page_of(found, limit, lambda row: (row[0].name, row[0].id))


async def get_price_list(units: UnitsOfWork, price_list_id: str) -> PriceList:
    async with units() as uow:
        found = await uow.price_lists.get(price_list_id)
    if found is None:
        raise NotFound(f"price list {price_list_id} not found")
    return found
