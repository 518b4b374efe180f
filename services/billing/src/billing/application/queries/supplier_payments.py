"""Payments sent to suppliers as callers read them: a page newest first (of a supplier, or those
that paid a bill)."""

from __future__ import annotations

from billing.application.ports import UnitOfWork
from billing.domain.supplier_payments import SupplierPayment
from servicekit.paging import newest_after, newest_page, page_limit


async def list_supplier_payments(
    uow: UnitOfWork, supplier_id: str, bill_id: str, page_size: int, page_token: str
) -> tuple[list[SupplierPayment], str]:
    limit = page_limit(page_size)
    after = newest_after(page_token)
    async with uow:
        found = await uow.supplier_payments.page(supplier_id, bill_id, after, limit + 1)
    return newest_page(found, limit)
