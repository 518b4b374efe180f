"""Supplier bills as callers read them: one, or a page newest first."""

from __future__ import annotations

from billing.application.ports import UnitOfWork
from billing.application.reading import bill_of
from billing.domain.bills import Bill
from servicekit.paging import newest_after, newest_page, page_limit


async def get_bill(uow: UnitOfWork, bill_id: str) -> Bill:
    async with uow:
        return await bill_of(uow, bill_id)


async def list_bills(
    uow: UnitOfWork,
    purchase_order_id: str,
    supplier_id: str,
    status: str,
    page_size: int,
    page_token: str,
) -> tuple[list[Bill], str]:
    limit = page_limit(page_size)
    after = newest_after(page_token)
    async with uow:
        found = await uow.bills.page(purchase_order_id, supplier_id, status, after, limit + 1)
    return newest_page(found, limit)
