"""Payments received as callers read them: one with where its money went, or a page newest
first (by invoice: those recorded against it and those allocated to it)."""

from __future__ import annotations

from billing.application.ports import UnitOfWork
from billing.application.reading import payment_of
from billing.domain.payments import Payment
from servicekit.paging import newest_after, newest_page, page_limit


async def get_payment(uow: UnitOfWork, payment_id: str) -> Payment:
    async with uow:
        return await payment_of(uow, payment_id)


async def list_payments(
    uow: UnitOfWork, invoice_id: str, customer_id: str, page_size: int, page_token: str
) -> tuple[list[Payment], str]:
    limit = page_limit(page_size)
    after = newest_after(page_token)
    async with uow:
        found = await uow.payments.page(invoice_id, customer_id, after, limit + 1)
    return newest_page(found, limit)
