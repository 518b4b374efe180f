"""A person of the order desk retries an order's stalled steps once the cause is fixed: a
dead-lettered event is applied again through its reaction (once: the inbox), an answer awaited
past the deadline is asked again (SalesOrderPlaced published anew; inventory places an order
once). Each step ends resolved or stalled with the new reason. Idempotent: an order with nothing
stalled changes nothing."""

from __future__ import annotations

from dataclasses import dataclass

from orders.application.ports import Deps
from orders.domain.lines import StockStatus
from orders.domain.placing import placed
from orders.domain.stalled import StalledStep
from servicekit.context import current_principal


@dataclass(frozen=True)
class RetryStalledSteps:
    order_id: str


async def retry_stalled_steps(deps: Deps, command: RetryStalledSteps) -> list[StalledStep]:
    """Every step of the order, after the retry."""
    async with deps.unit_of_work() as uow:
        steps = await uow.stalled.open_of(command.order_id)
    for step in steps:
        failure = await _again(deps, step)
        async with deps.unit_of_work() as uow:
            still = await uow.stalled.open_of(step.order_id)
            fresh = next((s for s in still if s.id == step.id), None)
            if fresh is None:
                continue  # someone else's retry went through meanwhile
            events = fresh.tried(current_principal().subject, failure)
            await uow.stalled.save(fresh)
            await uow.publish(events)
    async with deps.unit_of_work() as uow:
        return await uow.stalled.of_order(command.order_id)


async def _again(deps: Deps, step: StalledStep) -> str:
    """ "" when the step went through; else why it still cannot."""
    if step.event is not None:
        if deps.redrive is None:
            return "this process cannot apply events again"
        return await deps.redrive(step.event)
    async with deps.unit_of_work() as uow:
        order = await uow.orders.get(step.order_id)
        if order is None:
            return f"no sales order {step.order_id}"
        if order.stock_status != StockStatus.PENDING:
            return ""
        await uow.publish([placed(order)])
    return "inventory has not answered yet: the order was announced to it again"
