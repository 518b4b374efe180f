"""Authorise the return of shipped goods not yet returned or authorised; inventory receives
them, billing credits them. A retry with the same client request id authorises nothing more."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from orders.application.ports import Deps
from orders.application.reach import reachable
from orders.application.recording import record_changed
from orders.application.retry import NOT_RETRIED, Retry
from orders.application.views import SalesOrderView, order_view

AUTHORIZE = "authorize_return"


@dataclass(frozen=True)
class AuthorizeReturn:
    order_id: str
    # Units to return by line id.
    quantities: Mapping[str, int]
    reason: str
    retry: Retry = NOT_RETRIED


async def authorize_return(deps: Deps, command: AuthorizeReturn) -> tuple[SalesOrderView, str]:
    """The order and the new return's id; a retry whose first try authorised it (its answer
    lost) gets the order as it is now and that return's id."""
    retry = command.retry
    async with deps.unit_of_work() as uow:
        done = await uow.requests.claim(AUTHORIZE, retry.request_id, retry.fingerprint)
        # a retry names the same order (its fingerprint), which the caller must still reach
        order = await reachable(uow, command.order_id, for_update=True)
        if done is not None:  # authorised by the first of these requests
            return_id = done
        else:
            returned = await uow.returns.returned_or_authorised(order.id)
            authorised, events = order.authorize_return(
                command.quantities, command.reason, returned
            )
            await uow.returns.add(order.id, authorised)
            await record_changed(uow, order, events)
            await uow.requests.complete(AUTHORIZE, retry.request_id, authorised.id)
            return_id = authorised.id
    return await order_view(deps, order), return_id
