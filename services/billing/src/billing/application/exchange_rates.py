"""Exchange rates finance maintains: set (stored, in the change log and published as
ExchangeRateSet, so credit control in orders converts with the same figures), listed, and used to
convert amounts as of a day (dual control of supplier bills)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Row, select, tuple_
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from billing.adapters.tables import exchange_rates
from billing.application.fields import as_of_in
from billing.application.records import audit
from billing.domain.exchange import Rate, converted, pair_in, rate_in, rate_text
from messaging.outbox import Outbox
from oms.events.v1 import billing_pb2 as events
from pricing.money import Money
from servicekit.context import current_principal
from servicekit.db import Database
from servicekit.errors import InvalidArgument, Violations
from servicekit.paging import page_after, page_limit, page_token


@dataclass(frozen=True)
class SetRate:
    """A rate as stored: who set it and when."""

    rate: Rate
    set_at: datetime
    set_by: str


def _set_rate(row: Row[Any]) -> SetRate:
    return SetRate(
        Rate(row.base_currency, row.quote_currency, Decimal(row.rate), row.effective_from),
        row.set_at,
        row.set_by,
    )


async def rate_on(session: AsyncSession, base: str, quote: str, day: date) -> Decimal | None:
    """The rate from `base` into `quote` in force on `day`: the latest set from that day or
    before; None when there is none."""
    found = await session.execute(
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


async def convert(session: AsyncSession, amount: Money, into: str, day: date) -> Money | None:
    """`amount` in `into` with the rates in force on `day` (the pair's, else its inverse);
    None when no rate converts it."""
    if amount.currency == into:
        return amount
    direct = await rate_on(session, amount.currency, into, day)
    inverse = None if direct is not None else await rate_on(session, into, amount.currency, day)
    return converted(amount, into, direct, inverse)


class ExchangeRates:
    def __init__(self, database: Database, outbox: Outbox) -> None:
        self.database = database
        self.outbox = outbox

    async def set(self, base: str, quote: str, rate: str, effective_from: str) -> SetRate:
        """The pair's rate from `effective_from` (today when empty) on; the same rate set again
        changes nothing and publishes nothing."""
        problems = Violations()
        pair_in(problems, base, quote)
        value = rate_in(problems, "rate", rate)
        day = as_of_in(problems, "effective_from", effective_from)
        problems.raise_if_any()
        assert value is not None
        wanted = Rate(base, quote, value, day)
        async with self.database.transaction() as session:
            key = (
                exchange_rates.c.base_currency == base,
                exchange_rates.c.quote_currency == quote,
                exchange_rates.c.effective_from == day,
            )
            before = (
                await session.execute(select(exchange_rates).where(*key).with_for_update())
            ).first()
            if before is not None and Decimal(before.rate) == value:
                return _set_rate(before)
            row = await self._store(session, wanted, before)
        return _set_rate(row)

    async def _store(self, session: AsyncSession, rate: Rate, before: Row[Any] | None) -> Row[Any]:
        """The pair's rate for its day, its ExchangeRateSet and its change log entry."""
        values = {
            "rate": rate.rate,
            "set_at": datetime.now(UTC),
            "set_by": current_principal().subject,
        }
        upsert = (
            insert(exchange_rates)
            .values(
                base_currency=rate.base,
                quote_currency=rate.quote,
                effective_from=rate.effective_from,
                **values,
            )
            .on_conflict_do_update(index_elements=list(exchange_rates.primary_key), set_=values)
        )
        row: Row[Any] = (await session.execute(upsert.returning(exchange_rates))).one()
        await self.outbox.add(
            session,
            events.ExchangeRateSet(
                base_currency=rate.base,
                quote_currency=rate.quote,
                rate=rate_text(rate.rate),
                effective_from=rate.effective_from.isoformat(),
            ),
            key=rate.pair,
        )
        await audit.record(
            session,
            "exchange_rate",
            rate.pair,
            "set",
            before=None if before is None else _facts(_set_rate(before).rate),
            after=_facts(rate),
        )
        return row

    async def page(
        self, base: str, quote: str, page_size: int, token: str
    ) -> tuple[list[SetRate], str]:
        """Latest effective date first (then by pair); only the pair's when one is named."""
        limit = page_limit(page_size)
        after = page_after(token, 3)
        query = (
            select(exchange_rates)
            .order_by(
                exchange_rates.c.effective_from.desc(),
                exchange_rates.c.base_currency.desc(),
                exchange_rates.c.quote_currency.desc(),
            )
            .limit(limit + 1)
        )
        if base:
            query = query.where(exchange_rates.c.base_currency == base)
        if quote:
            query = query.where(exchange_rates.c.quote_currency == quote)
        if after:
            query = query.where(
                tuple_(
                    exchange_rates.c.effective_from,
                    exchange_rates.c.base_currency,
                    exchange_rates.c.quote_currency,
                )
                < (_day_of(after[0]), after[1], after[2])
            )
        async with self.database.transaction() as session:
            found = [_set_rate(r) for r in await session.execute(query)]
        if len(found) > limit:
            last = found[limit - 1].rate
            return found[:limit], page_token(last.effective_from.isoformat(), last.base, last.quote)
        return found, ""


def _facts(rate: Rate) -> dict[str, str]:
    return {"rate": rate_text(rate.rate), "effective_from": rate.effective_from.isoformat()}


def _day_of(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise InvalidArgument.of("page_token", "not a token this API issued") from error
