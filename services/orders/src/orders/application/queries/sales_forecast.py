"""Expected revenue per month and currency from the open orders the caller reaches."""

from __future__ import annotations

from decimal import Decimal

from orders.application.ports import Deps
from orders.domain.forecast import forecast
from servicekit.context import current_principal
from servicekit.sales_reach import reach_of


async def sales_forecast(deps: Deps) -> dict[tuple[str, str], Decimal]:
    """By (month "YYYY-MM", currency)."""
    reach = reach_of(current_principal())
    async with deps.unit_of_work() as uow:
        pipelines = await uow.pipelines.all()
        return forecast(await uow.orders.open_for_forecast(reach), pipelines)
