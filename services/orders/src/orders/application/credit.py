"""Credit control's figures for an order, read in the order's unit of work."""

from __future__ import annotations

from datetime import date

from orders.application.ports import UnitOfWork
from orders.domain.credit import Exposure, held_by_billing, into, unregistered
from orders.domain.customers import CreditPosition, Customer
from orders.domain.sales_order import SalesOrder


async def exposure_of(
    uow: UnitOfWork, order: SalesOrder, today: date, customer: Customer | None = None
) -> Exposure:
    """The customer's credit limit, open invoices and other open orders, with today's rates into
    the limit's currency; an exposure that holds every order when the customer is unknown or
    billing holds its credit (invoices overdue too long). `customer`: the account as this unit
    of work read it (without a limit, nothing more is read of it)."""
    if customer is not None and customer.details.credit_limit is None:
        position: CreditPosition | None = CreditPosition(None, ())
    else:
        position = await uow.customers.credit_position(order.customer_id)
    if position is None:
        return unregistered(order.customer_id)
    held = await uow.billing_holds.reason(order.customer_id)
    if held:
        return held_by_billing(held)
    if position.credit_limit is None:
        return Exposure(None)
    currency = position.credit_limit.currency
    return Exposure(
        position.credit_limit,
        position.open_balances,
        await uow.orders.open_orders(order.customer_id, besides=order.id),
        into(currency, await uow.rates.current(currency, today)),
    )
