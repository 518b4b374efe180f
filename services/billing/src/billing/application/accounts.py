"""A customer's open balance and credit moved by a use case: the balance's change is published
(CustomerBalanceChanged, with the figure as of this change), the credit's kept in its history."""

from __future__ import annotations

from datetime import UTC, datetime

from billing.application.ports import UnitOfWork
from billing.domain.events import CustomerBalanceChanged
from pricing.money import Money


async def move_balance(uow: UnitOfWork, customer_id: str, change: Money) -> Money:
    """Adds `change` to what the customer owes in its currency and publishes the new figure."""
    balance = (await uow.accounts.move_balance(customer_id, change)).trimmed()
    await uow.publish([CustomerBalanceChanged(customer_id, balance)])
    return balance


async def move_credit(
    uow: UnitOfWork, customer_id: str, change: Money, source: str, source_id: str
) -> Money:
    """Adds `change` to the customer's credit (callers check first that it never goes below
    zero) and writes it in the credit's history."""
    moved = await uow.accounts.move_credit(
        customer_id, change, source, source_id, datetime.now(UTC)
    )
    return moved.trimmed()
