"""Customers as billing knows them: their payment terms (a copy from the orders service) and
what each owes on open invoices, per currency."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import Table, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from billing.adapters.tables import (
    customer_balances,
    customer_credit_entries,
    customer_credits,
    customers,
    invoice_sequences,
)
from billing.domain.settlement import due_date
from messaging.envelope import Envelope
from messaging.outbox import Outbox
from oms.events.v1 import billing_pb2 as events
from oms.events.v1 import orders_pb2
from pricing.money import Money
from pricing.wire import money_to_proto
from servicekit.db import Database


async def next_number(session: AsyncSession, year: int, table: Table = invoice_sequences) -> int:
    """The year's next number in `table`'s sequence; the row stays locked until this transaction
    ends, so a rollback gives the number back and concurrent documents take turns."""
    statement = (
        insert(table)
        .values(year=year, last_number=1)
        .on_conflict_do_update(
            index_elements=["year"], set_={"last_number": table.c.last_number + 1}
        )
        .returning(table.c.last_number)
    )
    return int((await session.execute(statement)).scalar_one())


async def move_balance(
    session: AsyncSession, outbox: Outbox, customer_id: str, change: Money
) -> Money:
    """Adds `change` to what the customer owes in its currency and publishes the new figure.
    The row is locked until the transaction ends, so the events leave in the order of the
    changes and each carries the balance as of its own change."""
    upsert = insert(customer_balances).values(
        customer_id=customer_id, currency=change.currency, open_balance=change.amount
    )
    statement = upsert.on_conflict_do_update(
        index_elements=["customer_id", "currency"],
        set_={"open_balance": customer_balances.c.open_balance + upsert.excluded.open_balance},
    ).returning(customer_balances.c.open_balance)
    balance = Money((await session.execute(statement)).scalar_one(), change.currency).trimmed()
    await outbox.add(
        session,
        events.CustomerBalanceChanged(
            customer_id=customer_id, open_balance=money_to_proto(balance)
        ),
        key=customer_id,
    )
    return balance


async def credit_of(session: AsyncSession, customer_id: str, currency: str) -> Money:
    """The customer's unused credit in `currency`, its row locked until the transaction ends
    (take it after the invoices' locks, before the balance's)."""
    found = (
        await session.execute(
            select(customer_credits.c.amount)
            .where(customer_credits.c.customer_id == customer_id)
            .where(customer_credits.c.currency == currency)
            .with_for_update()
        )
    ).scalar_one_or_none()
    return Money(Decimal(found if found is not None else 0), currency).trimmed()


async def move_credit(
    session: AsyncSession, customer_id: str, change: Money, source: str, source_id: str
) -> Money:
    """Adds `change` to the customer's credit (locked until the transaction ends) and writes it
    in the credit's history; callers check first that it never goes below zero."""
    upsert = insert(customer_credits).values(
        customer_id=customer_id, currency=change.currency, amount=change.amount
    )
    statement = upsert.on_conflict_do_update(
        index_elements=["customer_id", "currency"],
        set_={"amount": customer_credits.c.amount + upsert.excluded.amount},
    ).returning(customer_credits.c.amount)
    credit = Money((await session.execute(statement)).scalar_one(), change.currency).trimmed()
    await session.execute(
        customer_credit_entries.insert().values(
            customer_id=customer_id,
            currency=change.currency,
            amount=change.amount,
            source=source,
            source_id=source_id,
            at=datetime.now(UTC),
        )
    )
    return credit


async def due_on(session: AsyncSession, customer_id: str, issued_on: date) -> date:
    """When an invoice issued today falls due under the customer's terms (30 days unless known)."""
    terms = (
        await session.execute(
            select(customers.c.payment_terms).where(customers.c.customer_id == customer_id)
        )
    ).scalar_one_or_none()
    return due_date(issued_on, terms or "")


class Customers:
    def __init__(self, database: Database) -> None:
        self.database = database

    async def on_customer_registered(
        self, session: AsyncSession, event: orders_pb2.CustomerRegistered, envelope: Envelope
    ) -> None:
        await self._keep(session, event.customer)

    async def on_customer_changed(
        self, session: AsyncSession, event: orders_pb2.CustomerChanged, envelope: Envelope
    ) -> None:
        await self._keep(session, event.customer)

    async def _keep(self, session: AsyncSession, customer: orders_pb2.CustomerAccount) -> None:
        """Customer events share a partition per customer, so the last one applied is the
        latest: a plain upsert keeps the copy current."""
        values = {"name": customer.name, "payment_terms": customer.payment_terms}
        await session.execute(
            insert(customers)
            .values(customer_id=customer.customer_id, **values)
            .on_conflict_do_update(index_elements=["customer_id"], set_=values)
        )

    async def balances(self, customer_id: str) -> list[Money]:
        async with self.database.transaction() as session:
            rows = await session.execute(
                select(customer_balances.c.currency, customer_balances.c.open_balance)
                .where(customer_balances.c.customer_id == customer_id)
                .order_by(customer_balances.c.currency)
            )
            return [Money(amount, currency).trimmed() for currency, amount in rows]

    async def name(self, customer_id: str) -> str:
        async with self.database.transaction() as session:
            found = await session.execute(
                select(customers.c.name).where(customers.c.customer_id == customer_id)
            )
            return found.scalar_one_or_none() or ""

    async def credits(self, customer_id: str) -> list[Money]:
        async with self.database.transaction() as session:
            rows = await session.execute(
                select(customer_credits.c.currency, customer_credits.c.amount)
                .where(customer_credits.c.customer_id == customer_id)
                .order_by(customer_credits.c.currency)
            )
            return [Money(amount, currency).trimmed() for currency, amount in rows]
