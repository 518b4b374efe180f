"""The order-to-cash saga's reactions share this: each applies another service's event to the
order in the consumer's unit of work (its inbox row makes a second delivery harmless), so a
restart anywhere resumes from what was committed."""

from __future__ import annotations

from collections.abc import Iterable

from orders.application.ports import Deps, UnitOfWork
from orders.domain.pipeline import Pipeline
from orders.domain.sales_order import SalesOrder


class EventNotApplicable(Exception):
    """An event that can never be applied (no such order, figures that do not add up): it is
    set aside at once rather than retried. So is one the order's rules refuse (a ValueError or
    FailedPrecondition from the domain)."""


async def order_for(uow: UnitOfWork, order_id: str) -> SalesOrder:
    """The order the event is about, locked for this unit of work."""
    order = await uow.orders.get(order_id, for_update=True)
    if order is None:
        raise EventNotApplicable(f"no sales order {order_id}")
    return order


async def pipeline_for(deps: Deps, uow: UnitOfWork, order: SalesOrder) -> Pipeline:
    return await deps.pipelines.get(uow.pipelines, order.order_type)


def units_per_line(lines: Iterable[tuple[str, int]]) -> dict[str, int]:
    """Units per line id from (line id, units) pieces (a line may come in several, e.g. from two
    warehouses)."""
    found: dict[str, int] = {}
    for line_id, quantity in lines:
        found[line_id] = found.get(line_id, 0) + quantity
    return found
