"""Move an order to another stage of its pipeline, as a person; finance releases a credit hold
this way."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from orders.application.credit import exposure_of
from orders.application.ports import Deps
from orders.application.reach import reachable
from orders.application.recording import record_changed
from orders.application.views import SalesOrderView, order_view
from servicekit.context import current_principal


@dataclass(frozen=True)
class TransitionSalesOrder:
    order_id: str
    to_stage: str
    # Fields the target stage may require (contract_number, payment_terms).
    fields: Mapping[str, str]
    reason: str
    release_credit_hold: bool = False


async def transition_sales_order(deps: Deps, command: TransitionSalesOrder) -> SalesOrderView:
    roles = current_principal().roles
    async with deps.unit_of_work() as uow:
        order = await reachable(uow, command.order_id, for_update=True)
        pipeline = await deps.pipelines.get(uow.pipelines, order.order_type)
        exposure = await exposure_of(uow, order, deps.clock().date())
        events = order.transition(
            pipeline,
            command.to_stage,
            roles,
            command.fields,
            command.reason,
            command.release_credit_hold,
            exposure,
        )
        await record_changed(uow, order, events)
    return await order_view(deps, order)
