"""Supplier contracts, a page at a time, newest period first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from procurement.application.ports import ContractFilter, Ports
from procurement.domain.contracts import SupplierContract
from servicekit.errors import InvalidArgument
from servicekit.paging import keyed_page, page_after, page_limit


@dataclass(frozen=True)
class ListContracts:
    """Empty fields do not filter; `active_on`: an ISO date the contracts must cover."""

    supplier_id: str = ""
    product_id: str = ""
    active_on: str = ""
    page_size: int = 0
    page_token: str = ""


def _day(text: str, field: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise InvalidArgument.of(field, "an ISO date, YYYY-MM-DD") from error


def _after(token: str) -> tuple[date, datetime, str] | None:
    """The (valid_from, created_at, id) a page token carries; None for the first page."""
    key = page_after(token, 3)
    if not key:
        return None
    try:
        return date.fromisoformat(key[0]), datetime.fromisoformat(key[1]), key[2]
    except ValueError as error:
        raise InvalidArgument.of("page_token", "not a token this API issued") from error


async def list_contracts(ports: Ports, query: ListContracts) -> tuple[list[SupplierContract], str]:
    limit = page_limit(query.page_size)
    day = _day(query.active_on, "active_on") if query.active_on else None
    after = _after(query.page_token)
    wanted = ContractFilter(query.supplier_id, query.product_id, day)
    async with ports.uow() as uow:
        found = await uow.contracts.page(wanted, after, limit + 1)
    return keyed_page(
        found, limit, lambda c: (c.valid_from.isoformat(), c.created_at.isoformat(), c.id)
    )
