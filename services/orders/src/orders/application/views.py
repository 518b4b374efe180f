"""Orders and customers as the caller may see them: the access table admitted the caller to the
RPC; here each answer is cut to what their roles see (orders.domain.rights) -- no prices for the
warehouse and purchasing, costs only for the order desk and finance."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from orders.application.ports import Deps
from orders.domain.customers import Customer
from orders.domain.pipeline import Pipeline
from orders.domain.rights import sees_costs, sees_prices
from orders.domain.sales_order import SalesOrder
from orders.domain.stalled import StalledStep
from servicekit.context import current_principal


@dataclass(frozen=True)
class SalesOrderView:
    order: SalesOrder
    # The stages the order may move to next; empty in lists.
    next_stages: tuple[str, ...]
    prices_hidden: bool
    costs_hidden: bool
    # Its stalled saga steps, which and why ("" when none): a single order, or the stalled list.
    stalled: str = ""


@dataclass(frozen=True)
class CustomerView:
    customer: Customer
    credit_hidden: bool


def seen(order: SalesOrder, pipeline: Pipeline | None = None) -> SalesOrderView:
    """The order as the current caller sees it (with its next stages when `pipeline` is given)."""
    who = current_principal()
    return SalesOrderView(
        order,
        tuple(pipeline.allowed_from(order.status)) if pipeline else (),
        prices_hidden=not sees_prices(who),
        costs_hidden=not sees_costs(who),
    )


async def order_view(deps: Deps, order: SalesOrder) -> SalesOrderView:
    """The order as the current caller sees it, with the stages it may move to next."""
    return seen(order, await pipeline_of(deps, order.order_type))


def stalled_view(view: SalesOrderView, steps: Sequence[StalledStep]) -> SalesOrderView:
    """The view saying which of its saga steps stalled, and why."""
    return replace(view, stalled="; ".join(f"{s.step}: {s.reason}" for s in steps))


async def pipeline_of(deps: Deps, order_type: str) -> Pipeline:
    """The type's pipeline: the cached one, else read in a unit of work of its own."""
    if (pipeline := deps.pipelines.fresh(order_type)) is not None:
        return pipeline
    async with deps.unit_of_work() as uow:
        return await deps.pipelines.get(uow.pipelines, order_type)


def customer_seen(customer: Customer) -> CustomerView:
    """The account as the current caller sees it: the warehouse reads addresses, not credit."""
    return CustomerView(customer, credit_hidden=not sees_prices(current_principal()))
