"""The events quoting consumes, each mapped from its wire message to its reaction, run in the
consumer's transaction (with its inbox claim)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from messaging.consumer import Subscription
from messaging.envelope import Envelope
from oms.events.v1 import orders_pb2
from quoting.application.ports import UnitOfWork
from quoting.application.reactions.on_customer_changed import on_customer_changed
from quoting.application.reactions.on_customer_registered import on_customer_registered
from quoting.domain.customer import Customer

# The unit of work of an event being applied, in the consumer's transaction.
JoinedUnitOfWork = Callable[[AsyncSession], UnitOfWork]


def customer_of(account: orders_pb2.CustomerAccount) -> Customer:
    return Customer(
        customer_id=account.customer_id,
        name=account.name,
        customer_group=account.customer_group,
        currency=account.currency,
        payment_terms=account.payment_terms,
    )


def subscriptions(joined: JoinedUnitOfWork) -> list[Subscription[Any]]:
    async def customer_registered(
        session: AsyncSession, event: orders_pb2.CustomerRegistered, envelope: Envelope
    ) -> None:
        async with joined(session) as uow:
            await on_customer_registered(uow, customer_of(event.customer))

    async def customer_changed(
        session: AsyncSession, event: orders_pb2.CustomerChanged, envelope: Envelope
    ) -> None:
        async with joined(session) as uow:
            await on_customer_changed(uow, customer_of(event.customer))

    return [
        Subscription(orders_pb2.CustomerRegistered, customer_registered),
        Subscription(orders_pb2.CustomerChanged, customer_changed),
    ]
