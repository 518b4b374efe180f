"""CustomerRegistered: billing keeps the customer's name and payment terms (due dates)."""

from __future__ import annotations

from billing.application.ports import UnitOfWork
from billing.domain.customers import Customer


async def on_customer_registered(uow: UnitOfWork, customer: Customer) -> None:
    """Customer events share a partition per customer, so the last one applied is the latest:
    keeping it keeps the copy current."""
    await uow.customers.keep(customer)
