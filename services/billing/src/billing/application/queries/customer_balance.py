"""A customer's open balance and unused credit, per currency."""

from __future__ import annotations

from billing.application.ports import UnitOfWork
from pricing.money import Money


async def customer_balance(uow: UnitOfWork, customer_id: str) -> tuple[list[Money], list[Money]]:
    """The open balances and the credits, each by currency."""
    async with uow:
        balances = await uow.accounts.balances(customer_id)
        credits = await uow.accounts.credits(customer_id)
    return [m.trimmed() for m in balances], [m.trimmed() for m in credits]
