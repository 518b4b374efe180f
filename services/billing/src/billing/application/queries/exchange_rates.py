"""Exchange rates as callers read them: latest day first, then by pair; one pair's when named."""

from __future__ import annotations

from datetime import date

from billing.application.ports import UnitOfWork
from billing.domain.exchange import SetRate
from servicekit.errors import InvalidArgument
from servicekit.paging import keyed_page, page_after, page_limit


async def list_exchange_rates(
    uow: UnitOfWork, base: str, quote: str, page_size: int, page_token: str
) -> tuple[list[SetRate], str]:
    limit = page_limit(page_size)
    key = page_after(page_token, 3)
    after = (_day_of(key[0]), key[1], key[2]) if key else None
    async with uow:
        found = await uow.rates.page(base, quote, after, limit + 1)
    return keyed_page(
        found, limit, lambda r: (r.rate.effective_from.isoformat(), r.rate.base, r.rate.quote)
    )


def _day_of(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise InvalidArgument.of("page_token", "not a token this API issued") from error
