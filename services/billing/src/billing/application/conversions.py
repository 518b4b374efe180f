"""Amounts of a report in one reporting currency (pricing.conversion), with the rates finance
set in force on a day: the pair's own rate, else the inverse of the opposite pair's."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from billing.application.ports import UnitOfWork
from billing.domain.exchange import Rate
from pricing.conversion import (
    AppliedRate,
    ReportingTotal,
    StatedRate,
    reporting_total,
    sums_per_currency,
)
from pricing.money import Money


def _stated(rate: Rate) -> StatedRate:
    return StatedRate(rate.base, rate.quote, rate.rate, rate.effective_from)


async def applied_rate(uow: UnitOfWork, currency: str, into: str, day: date) -> AppliedRate | None:
    """The rate that converts `currency` into `into` on `day`, or None."""
    direct = await uow.rates.in_force(currency, into, day)
    if direct is not None:
        return AppliedRate(_stated(direct))
    inverse = await uow.rates.in_force(into, currency, day)
    return None if inverse is None else AppliedRate(_stated(inverse), inverted=True)


async def in_reporting_currency(
    uow: UnitOfWork, amounts: Iterable[Money], into: str, day: date
) -> ReportingTotal:
    """`amounts` summed per currency, each sum converted once (in a unit of work of its own)."""
    sums = sums_per_currency(amounts)
    async with uow:
        rates = {c: await applied_rate(uow, c, into, day) for c in sums if c != into}
    return reporting_total(sums, into, day, rates)
