"""Quoting's copy of the customer master, kept from the orders service's events, so a quote for
a known customer takes its price-list group and payment terms without a call to orders."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from messaging.envelope import Envelope
from oms.events.v1 import orders_pb2
from oms.quoting.v1 import quoting_pb2 as pb
from quoting.adapters.tables import customers


async def on_customer(
    session: AsyncSession,
    event: orders_pb2.CustomerRegistered | orders_pb2.CustomerChanged,
    envelope: Envelope,
) -> None:
    account = event.customer
    values = {
        "name": account.name,
        "customer_group": account.customer_group,
        "currency": account.currency,
        "payment_terms": account.payment_terms,
    }
    await session.execute(
        insert(customers)
        .values(customer_id=account.customer_id, **values)
        .on_conflict_do_update(index_elements=["customer_id"], set_=values)
    )


async def with_customer_defaults(session: AsyncSession, content: pb.QuoteContent) -> None:
    """Fills what the quote leaves empty from the customer's account, when it is known."""
    known = (
        await session.execute(
            select(customers).where(customers.c.customer_id == content.customer_id.strip())
        )
    ).first()
    if known is None:
        return
    if not content.customer_group:
        content.customer_group = known.customer_group
    if not content.payment_terms:
        content.payment_terms = known.payment_terms
    if not content.currency:
        content.currency = known.currency
