"""Billing's new open balance of a customer in one currency, kept for credit control."""

from __future__ import annotations

from orders.application.ports import Deps, UnitOfWork
from orders.application.reactions.saga import EventNotApplicable
from pricing.money import Money


async def on_customer_balance_changed(
    deps: Deps, uow: UnitOfWork, customer_id: str, open_balance: Money
) -> None:
    if not customer_id:
        raise EventNotApplicable("CustomerBalanceChanged without a customer_id")
    await uow.customers.set_balance(customer_id, open_balance, deps.clock())
