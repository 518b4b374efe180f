"""Suppliers, one or a page at a time by name."""

from __future__ import annotations

from procurement.application.lookups import found_supplier
from procurement.application.ports import Ports
from procurement.domain.suppliers import Supplier
from servicekit.paging import keyed_page, page_after, page_limit


async def get_supplier(ports: Ports, supplier_id: str) -> Supplier:
    async with ports.uow() as uow:
        return await found_supplier(uow, supplier_id)


async def list_suppliers(
    ports: Ports, page_size: int, page_token: str
) -> tuple[list[Supplier], str]:
    """By name, a page at a time; the next page's token (empty on the last)."""
    limit = page_limit(page_size)
    (after,) = page_after(page_token, 1) or [""]
    async with ports.uow() as uow:
        found = await uow.suppliers.page(after, limit + 1)
    return keyed_page(found, limit, lambda supplier: (supplier.name,))
