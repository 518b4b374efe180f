"""Finance's exchange rates, as billing announced them, in PostgreSQL."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import or_, select
from sqlalchemy.dialects.postgresql import distinct_on, insert

from orders.adapters.tables import exchange_rates
from orders.domain.credit import ExchangeRate
from servicekit.db import Transaction


class SqlExchangeRates:
    def __init__(self, session: Transaction) -> None:
        self.session = session

    async def set(self, rate: ExchangeRate, set_at: datetime) -> None:
        statement = insert(exchange_rates).values(
            base_currency=rate.base,
            quote_currency=rate.quote,
            effective_from=rate.effective_from,
            rate=rate.rate,
            set_at=set_at,
        )
        await self.session.execute(
            statement.on_conflict_do_update(
                index_elements=[
                    exchange_rates.c.base_currency,
                    exchange_rates.c.quote_currency,
                    exchange_rates.c.effective_from,
                ],
                set_={"rate": statement.excluded.rate, "set_at": statement.excluded.set_at},
                where=exchange_rates.c.set_at <= statement.excluded.set_at,
            )
        )

    async def current(self, currency: str, on: date) -> list[ExchangeRate]:
        c = exchange_rates.c
        rows = await self.session.execute(
            select(c.base_currency, c.quote_currency, c.rate, c.effective_from)
            .where(or_(c.base_currency == currency, c.quote_currency == currency))
            .where(c.effective_from <= on)
            .ext(distinct_on(c.base_currency, c.quote_currency))
            .order_by(c.base_currency, c.quote_currency, c.effective_from.desc())
        )
        return [ExchangeRate(r[0], r[1], r[2], r[3]) for r in rows]
