"""The events quoting consumes, each mapped from its wire message to its reaction, run in the
consumer's transaction (with its inbox claim)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from messaging.consumer import Subscription
from messaging.envelope import Envelope
from oms.events.v1 import orders_pb2
from quoting.application.ports import UnitOfWork
from quoting.application.reactions.on_customer_changed import on_customer_changed
from quoting.application.reactions.on_customer_registered import on_customer_registered
from quoting.application.reactions.on_sales_order_stalled import on_sales_order_stalled
from quoting.domain.customer import Customer
from servicekit.db import Transaction

# The unit of work of an event being applied, in the consumer's transaction.
JoinedUnitOfWork = Callable[[Transaction], UnitOfWork]


def customer_of(account: orders_pb2.CustomerAccount) -> Customer:
    return Customer(
        customer_id=account.customer_id,
        name=account.name,
        customer_group=account.customer_group,
        currency=account.currency,
        payment_terms=account.payment_terms,
        address=address_lines(account.billing_address)
        if account.HasField("billing_address")
        else (),
        tax_zone=account.tax_zone,
        tax_exemption=account.tax_exemption,
    )


def address_lines(address: orders_pb2.BillingAddress) -> tuple[str, ...]:
    """A billing address as quotes print it: street lines, postal code and city, state, country."""
    city = " ".join(x for x in (address.postal_code, address.city) if x)
    parts = (address.line1, address.line2, city, address.state, address.country)
    return tuple(x for x in parts if x)


def subscriptions(joined: JoinedUnitOfWork) -> list[Subscription[Any]]:
    async def customer_registered(
        session: Transaction, event: orders_pb2.CustomerRegistered, envelope: Envelope
    ) -> None:
        async with joined(session) as uow:
            await on_customer_registered(uow, customer_of(event.customer))

    async def customer_changed(
        session: Transaction, event: orders_pb2.CustomerChanged, envelope: Envelope
    ) -> None:
        async with joined(session) as uow:
            await on_customer_changed(uow, customer_of(event.customer))

    async def sales_order_stalled(
        session: Transaction, event: orders_pb2.SalesOrderStalled, envelope: Envelope
    ) -> None:
        async with joined(session) as uow:
            reason = f"{event.step}: {event.reason}"
            await on_sales_order_stalled(uow, event.quote_id, reason)

    async def sales_order_stall_cleared(
        session: Transaction, event: orders_pb2.SalesOrderStallCleared, envelope: Envelope
    ) -> None:
        async with joined(session) as uow:
            await on_sales_order_stalled(uow, event.quote_id, "")

    return [
        Subscription(orders_pb2.CustomerRegistered, customer_registered),
        Subscription(orders_pb2.CustomerChanged, customer_changed),
        Subscription(orders_pb2.SalesOrderStalled, sales_order_stalled),
        Subscription(orders_pb2.SalesOrderStallCleared, sales_order_stall_cleared),
    ]
