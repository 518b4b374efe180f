"""Cancel an open order, with the reason; who may is the pipeline's to say."""

from __future__ import annotations

from dataclasses import dataclass

from orders.application.ports import Deps
from orders.application.reach import reachable
from orders.application.recording import record_changed
from orders.application.views import SalesOrderView, order_view
from servicekit.context import current_principal


@dataclass(frozen=True)
class CancelSalesOrder:
    order_id: str
    reason: str


async def cancel_sales_order(deps: Deps, command: CancelSalesOrder) -> SalesOrderView:
    async with deps.unit_of_work() as uow:
        order = await reachable(uow, command.order_id, for_update=True)
        roles = cancelling_roles(order.channel)
        pipeline = await deps.pipelines.get(uow.pipelines, order.order_type)
        events = order.cancel(pipeline, roles, command.reason)
        await record_changed(uow, order, events)
    return await order_view(deps, order)


def cancelling_roles(channel: str) -> tuple[str, ...]:
    """The caller's roles; a sales channel's service (its subject the order's channel, e.g.
    `woocommerce`) cancels the orders it placed as the order desk would."""
    who = current_principal()
    if "service" in who.roles and who.subject == channel:
        return (*who.roles, "order-desk")
    return who.roles
