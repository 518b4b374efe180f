"""orders registered a customer: quoting keeps a copy for the defaults of new quotes."""

from __future__ import annotations

from quoting.application.ports import UnitOfWork
from quoting.domain.customer import Customer


async def on_customer_registered(uow: UnitOfWork, customer: Customer) -> None:
    await uow.customers.put(customer)
