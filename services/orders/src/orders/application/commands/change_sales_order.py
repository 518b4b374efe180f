"""Change an order's quantities or its shipping address before what they touch has shipped; the
change log keeps both before and after."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from orders.application.ports import Deps
from orders.application.reach import reachable
from orders.application.recording import ENTITY, record_changed
from orders.application.views import SalesOrderView, order_view
from orders.domain.sales_order import SalesOrder


@dataclass(frozen=True)
class ChangeSalesOrder:
    order_id: str
    # New quantities by line id (0 drops a line).
    quantities: Mapping[str, int]
    # None: the address stays.
    shipping_address: dict[str, str] | None = None


async def change_sales_order(deps: Deps, command: ChangeSalesOrder) -> SalesOrderView:
    async with deps.unit_of_work() as uow:
        order = await reachable(uow, command.order_id, for_update=True)
        before = _changeable(order)
        events = order.change(command.quantities, command.shipping_address)
        await record_changed(uow, order, events)
        await uow.audit.record(ENTITY, order.id, "changed", before=before, after=_changeable(order))
    return await order_view(deps, order)


def _changeable(order: SalesOrder) -> dict[str, object]:
    return {
        "quantities": {line.id: line.quantity for line in order.lines},
        "shipping_address": order.shipping_address,
    }
