"""Exchange rates in PostgreSQL (exchange_rates): one rate per pair and day."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Row, select, tuple_
from sqlalchemy.dialects.postgresql import insert

from billing.adapters.tables import exchange_rates
from billing.domain.exchange import Rate, SetRate
from servicekit.db import Transaction


class SqlExchangeRates:
    def __init__(self, session: Transaction) -> None:
        self.session = session

    async def get(self, base: str, quote: str, day: date) -> SetRate | None:
        found = await self.session.execute(
            select(exchange_rates)
            .where(
                exchange_rates.c.base_currency == base,
                exchange_rates.c.quote_currency == quote,
                exchange_rates.c.effective_from == day,
            )
            .with_for_update()
        )
        row = found.first()
        return None if row is None else _set_rate(row)

    async def put(self, rate: SetRate) -> None:
        values = {"rate": rate.rate.rate, "set_at": rate.set_at, "set_by": rate.set_by}
        await self.session.execute(
            insert(exchange_rates)
            .values(
                base_currency=rate.rate.base,
                quote_currency=rate.rate.quote,
                effective_from=rate.rate.effective_from,
                **values,
            )
            .on_conflict_do_update(index_elements=list(exchange_rates.primary_key), set_=values)
        )

    async def rate_on(self, base: str, quote: str, day: date) -> Decimal | None:
        found = await self.session.execute(
            select(exchange_rates.c.rate)
            .where(
                exchange_rates.c.base_currency == base,
                exchange_rates.c.quote_currency == quote,
                exchange_rates.c.effective_from <= day,
            )
            .order_by(exchange_rates.c.effective_from.desc())
            .limit(1)
        )
        rate = found.scalar_one_or_none()
        return None if rate is None else Decimal(rate)

    async def in_force(self, base: str, quote: str, day: date) -> Rate | None:
        c = exchange_rates.c
        found = await self.session.execute(
            select(c.rate, c.effective_from)
            .where(c.base_currency == base, c.quote_currency == quote, c.effective_from <= day)
            .order_by(c.effective_from.desc())
            .limit(1)
        )
        row = found.first()
        return None if row is None else Rate(base, quote, Decimal(row.rate), row.effective_from)

    async def page(
        self, base: str, quote: str, after: tuple[date, str, str] | None, limit: int
    ) -> list[SetRate]:
        c = exchange_rates.c
        query = (
            select(exchange_rates)
            .order_by(c.effective_from.desc(), c.base_currency.desc(), c.quote_currency.desc())
            .limit(limit)
        )
        if base:
            query = query.where(c.base_currency == base)
        if quote:
            query = query.where(c.quote_currency == quote)
        if after:
            query = query.where(tuple_(c.effective_from, c.base_currency, c.quote_currency) < after)
        return [_set_rate(r) for r in await self.session.execute(query)]


def _set_rate(row: Row[Any]) -> SetRate:
    return SetRate(
        Rate(row.base_currency, row.quote_currency, Decimal(row.rate), row.effective_from),
        row.set_at,
        row.set_by,
    )
