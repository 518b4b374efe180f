"""Invoices as callers read them: one, or a page newest (highest number) first."""

from __future__ import annotations

from billing.application.ports import UnitOfWork
from billing.application.reading import invoice_of
from billing.domain.invoices import Invoice
from servicekit.paging import keyed_page, page_start


async def get_invoice(uow: UnitOfWork, invoice_id: str) -> Invoice:
    async with uow:
        return await invoice_of(uow, invoice_id)


async def list_invoices(
    uow: UnitOfWork, order_id: str, page_size: int, page_token: str
) -> tuple[list[Invoice], str]:
    """Every invoice (of the order), newest first; and the next page's token."""
    limit, before = page_start(page_size, page_token)
    async with uow:
        found = await uow.invoices.page(order_id, before, limit + 1)
    return keyed_page(found, limit, lambda invoice: (invoice.number,))
