"""Billing held a customer's credit for invoices overdue too long, or released it: kept so that
credit control holds the customer's new orders at approval meanwhile."""

from __future__ import annotations

from orders.application.ports import Deps, UnitOfWork
from orders.application.reactions.saga import EventNotApplicable


async def on_customer_credit_hold_changed(
    deps: Deps, uow: UnitOfWork, customer_id: str, on_hold: bool, reason: str
) -> None:
    if not customer_id:
        raise EventNotApplicable("CustomerCreditHoldChanged without a customer_id")
    if on_hold:
        await uow.billing_holds.hold(customer_id, reason or "invoices overdue", deps.clock())
    else:
        await uow.billing_holds.release(customer_id)
