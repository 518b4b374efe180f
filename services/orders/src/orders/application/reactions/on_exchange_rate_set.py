"""Finance's exchange rate (billing's), kept as a local copy to convert credit limits with; a
later statement for the same pair and day replaces it."""

from __future__ import annotations

from datetime import datetime

from orders.application.ports import Deps, UnitOfWork
from orders.application.reactions.saga import EventNotApplicable
from orders.domain.credit import exchange_rate


async def on_exchange_rate_set(
    deps: Deps,
    uow: UnitOfWork,
    base: str,
    quote: str,
    rate: str,
    effective_from: str,
    set_at: datetime,
) -> None:
    """`rate` and `effective_from` as billing states them; `set_at` when finance set it."""
    try:
        stated = exchange_rate(base, quote, rate, effective_from)
    except ValueError as error:
        raise EventNotApplicable(f"exchange rate {base}/{quote}: {error}") from error
    await uow.rates.set(stated, set_at)
