"""Record an actual cost of an order as it occurs (shipping, a service, ...); a retry with the same
request id records it once."""

from __future__ import annotations

from dataclasses import dataclass

from orders.application.ports import Deps
from orders.application.reach import reachable
from orders.application.recording import ENTITY, record_changed
from orders.application.retry import Retry
from orders.application.views import SalesOrderView, order_view
from orders.domain.costs import check_cost
from orders.domain.events import CostIncurred

RECORD_COST = "record_order_cost"


@dataclass(frozen=True)
class RecordOrderCost:
    order_id: str
    kind: str
    amount: str
    description: str
    retry: Retry


async def record_order_cost(deps: Deps, command: RecordOrderCost) -> SalesOrderView:
    value = check_cost(command.kind, command.amount, command.description)
    description = command.description.strip()
    retry = command.retry
    async with deps.unit_of_work() as uow:
        done = await uow.requests.claim(RECORD_COST, retry.request_id, retry.fingerprint)
        order = await reachable(uow, command.order_id, for_update=True)
        if done is None:  # else recorded by the first of these requests
            events = order.record_cost(command.kind, value, description)
            (cost,) = [event for event in events if isinstance(event, CostIncurred)]
            cost_id = await uow.costs.add(cost)
            assert cost_id is not None  # only shipments' costs have a source to repeat
            await record_changed(uow, order, events)
            recorded = {
                "kind": command.kind,
                "amount": f"{value} {order.currency}",
                "cost_id": cost_id,
                "note": description,
            }
            await uow.audit.record(ENTITY, order.id, "cost_recorded", after=recorded)
            await uow.requests.complete(RECORD_COST, retry.request_id, cost_id)
    return await order_view(deps, order)
