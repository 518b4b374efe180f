"""Open a customer account; only finance (or an admin) grants it a credit limit."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from orders.application.credit_terms import check_finance
from orders.application.ports import Deps
from orders.application.retry import NOT_RETRIED, Retry
from orders.application.views import CustomerView, customer_seen
from orders.domain.customer_input import CustomerInput
from orders.domain.customers import open_account, recorded
from servicekit.context import current_principal

ENTITY = "customer"
CREATE = "create_customer"


@dataclass(frozen=True)
class CreateCustomer:
    account: CustomerInput
    retry: Retry = NOT_RETRIED


async def create_customer(deps: Deps, command: CreateCustomer) -> CustomerView:
    customer, events = open_account(
        str(uuid.uuid4()), command.account, deps.clock(), current_principal().subject
    )
    check_finance(None, customer.details)
    retry = command.retry
    async with deps.unit_of_work() as uow:
        # a retry whose first try opened the account (its answer lost) gets that account back
        done = await uow.requests.claim(CREATE, retry.request_id, retry.fingerprint)
        if done is not None:
            opened = await uow.customers.get(done)
            assert opened is not None  # a request is completed with the customer it opened
            return customer_seen(opened)
        await uow.requests.complete(CREATE, retry.request_id, customer.id)
        await uow.customers.add(customer)
        await uow.publish(events)
        await uow.audit.record(ENTITY, customer.id, "created", after=recorded(customer.details))
    return customer_seen(customer)
