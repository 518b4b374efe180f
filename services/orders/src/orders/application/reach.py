"""Which orders a person reaches: their own as a salesperson, their team's as a sales manager,
every one otherwise (servicekit.sales_reach)."""

from __future__ import annotations

from dataclasses import replace

from orders.application.ports import OrderQuery, UnitOfWork
from orders.domain.sales_order import SalesOrder
from servicekit.context import current_principal
from servicekit.errors import NotFound
from servicekit.sales_reach import check_reach, reach_of


async def reachable(uow: UnitOfWork, order_id: str, for_update: bool = False) -> SalesOrder:
    """The order, when it exists and the caller reaches it (NotFound, PermissionDenied)."""
    order = await uow.orders.get(order_id, for_update=for_update)
    if order is None:
        raise NotFound(f"sales order {order_id} not found")
    check_within_reach(order)
    return order


def check_within_reach(order: SalesOrder) -> None:
    check_reach(current_principal(), f"sales order {order.id}", order.salesperson, order.team)


def within_reach(query: OrderQuery) -> OrderQuery:
    """The query narrowed to the orders the caller reaches."""
    return replace(query, reach=reach_of(current_principal()))
