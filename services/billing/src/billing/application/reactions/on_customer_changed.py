"""CustomerChanged: billing's copy of the customer's name and payment terms follows. Invoices
issued already keep their due dates."""

from __future__ import annotations

from billing.application.ports import UnitOfWork
from billing.domain.customers import Customer


async def on_customer_changed(uow: UnitOfWork, customer: Customer) -> None:
    """Customer events share a partition per customer, so the last one applied is the latest."""
    await uow.customers.keep(customer)
