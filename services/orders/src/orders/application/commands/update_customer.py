"""Replace the fields of an account an update names, keeping the others; credit terms are
finance's."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from orders.application.commands.create_customer import ENTITY
from orders.application.credit_terms import check_finance
from orders.application.ports import Deps
from orders.application.views import CustomerView, customer_seen
from orders.domain.customer_input import CustomerInput, check_input, merged
from orders.domain.customers import recorded
from servicekit.changes import changed
from servicekit.context import current_principal
from servicekit.errors import FailedPrecondition, NotFound


@dataclass(frozen=True)
class UpdateCustomer:
    customer_id: str
    given: CustomerInput
    # The fields of `given` that replace the stored ones.
    replaced: Collection[str]
    # The stored version it must be; 0 for any.
    version: int = 0


async def update_customer(deps: Deps, command: UpdateCustomer) -> CustomerView:
    customer_id = command.customer_id
    async with deps.unit_of_work() as uow:
        current = await uow.customers.get(customer_id, for_update=True)
        if current is None:
            raise NotFound(f"customer {customer_id} not found")
        if command.version and command.version != current.version:
            raise FailedPrecondition(
                f"customer {customer_id} is at version {current.version}, not {command.version}"
            )
        details = check_input(merged(current.details, command.given, command.replaced))
        check_finance(current.details, details)
        customer, events = current.replaced(details, deps.clock(), current_principal().subject)
        if not await uow.customers.save(customer):
            raise FailedPrecondition(f"customer {customer_id} changed meanwhile; retry")
        await uow.publish(events)
        before, after = changed(recorded(current.details), recorded(details))
        await uow.audit.record(ENTITY, customer.id, "changed", before=before, after=after)
    return customer_seen(customer)
