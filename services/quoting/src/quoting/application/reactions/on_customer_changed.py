"""orders changed a customer's account: quoting's copy follows (or starts, if the registration
has not arrived: events of one customer come in order, but a copy may start late)."""

from __future__ import annotations

from quoting.application.ports import UnitOfWork
from quoting.domain.customer import Customer


async def on_customer_changed(uow: UnitOfWork, customer: Customer) -> None:
    await uow.customers.put(customer)
