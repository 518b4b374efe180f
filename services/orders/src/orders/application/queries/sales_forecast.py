"""Expected revenue per month and currency from the open orders the caller reaches, and all of
it in the reporting currency with today's rates (pricing.conversion: one rounding per currency)."""

from __future__ import annotations

from decimal import Decimal

from orders.application.ports import Deps
from orders.domain.forecast import forecast
from pricing.conversion import ReportingTotal, StatedRate, rate_into, reporting_total
from servicekit.context import current_principal
from servicekit.sales_reach import reach_of


async def sales_forecast(deps: Deps) -> dict[tuple[str, str], Decimal]:
    """By (month "YYYY-MM", currency)."""
    expected, _ = await sales_forecast_report(deps)
    return expected


async def sales_forecast_report(
    deps: Deps,
) -> tuple[dict[tuple[str, str], Decimal], ReportingTotal]:
    """By (month, currency), and the sum of every month per currency in the reporting
    currency, at the rates in force today."""
    reach = reach_of(current_principal())
    into = deps.reporting_currency
    today = deps.clock().date()
    async with deps.unit_of_work() as uow:
        pipelines = await uow.pipelines.all()
        expected = forecast(await uow.orders.open_for_forecast(reach), pipelines)
        rates = [
            StatedRate(r.base, r.quote, r.rate, r.effective_from)
            for r in await uow.rates.current(into, today)
        ]
    sums: dict[str, Decimal] = {}
    for (_, currency), amount in expected.items():
        sums[currency] = sums.get(currency, Decimal(0)) + amount
    applied = {c: rate_into(c, into, rates) for c in sums if c != into}
    return expected, reporting_total(sums, into, today, applied)
