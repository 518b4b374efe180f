"""SetExchangeRate: one unit of the base is worth `rate` of the quote from a day (today when
empty) on. One rate per pair and day: setting it again replaces it (audited with before and
after, ExchangeRateSet); the same rate again changes nothing and publishes nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from billing.application.fields import as_of_in
from billing.application.ports import UnitOfWork
from billing.domain.exchange import Rate, SetRate, pair_in, rate_in
from servicekit.context import current_principal
from servicekit.errors import Violations


@dataclass(frozen=True)
class SetExchangeRate:
    base_currency: str
    quote_currency: str
    rate: str
    effective_from: str = ""


async def set_exchange_rate(uow: UnitOfWork, command: SetExchangeRate) -> SetRate:
    problems = Violations()
    base, quote = command.base_currency, command.quote_currency
    pair_in(problems, base, quote)
    value = rate_in(problems, "rate", command.rate)
    day = as_of_in(problems, "effective_from", command.effective_from)
    problems.raise_if_any()
    assert value is not None
    async with uow:
        rate, _ = await store_rate(uow, Rate(base, quote, value, day))
    return rate


async def store_rate(uow: UnitOfWork, wanted: Rate) -> tuple[SetRate, bool]:
    """The rate as stored, and whether it changed anything (the same rate again does not)."""
    before = await uow.rates.get(wanted.base, wanted.quote, wanted.effective_from)
    if before is not None and before.rate.rate == wanted.rate:
        return before, False
    rate, events = SetRate.set(wanted, datetime.now(UTC), current_principal().subject)
    await uow.rates.put(rate)
    await uow.publish(events)
    await uow.audit.record(
        "exchange_rate",
        wanted.pair,
        "set",
        before=None if before is None else before.rate.facts(),
        after=wanted.facts(),
    )
    return rate, True
