"""Open a customer account; only finance (or an admin) grants it a credit limit."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from orders.application.credit_terms import check_finance
from orders.application.ports import Deps
from orders.application.views import CustomerView, customer_seen
from orders.domain.customer_input import CustomerInput
from orders.domain.customers import open_account, recorded
from servicekit.context import current_principal

ENTITY = "customer"


@dataclass(frozen=True)
class CreateCustomer:
    account: CustomerInput


async def create_customer(deps: Deps, command: CreateCustomer) -> CustomerView:
    customer, events = open_account(
        str(uuid.uuid4()), command.account, deps.clock(), current_principal().subject
    )
    check_finance(None, customer.details)
    async with deps.unit_of_work() as uow:
        await uow.customers.add(customer)
        await uow.publish(events)
        await uow.audit.record(ENTITY, customer.id, "created", after=recorded(customer.details))
    return customer_seen(customer)
