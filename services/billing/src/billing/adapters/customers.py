"""Customers in PostgreSQL: billing's copy of each customer (customers), and each customer's open
balance (customer_balances) and credit (customer_credits, with its history in
customer_credit_entries) per currency -- each change added to the row under its lock."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import bindparam, select
from sqlalchemy.dialects.postgresql import insert

from billing.adapters.tables import (
    customer_balances,
    customer_credit_entries,
    customer_credits,
    customers,
)
from billing.domain.customers import Customer
from pricing.money import Money
from servicekit.db import DriverStatement, Transaction

# Built once and sent on the driver: every invoice names its buyer and moves a balance.
_CUSTOMER = DriverStatement(select(customers).where(customers.c.customer_id == bindparam("b_id")))
_BALANCE = insert(customer_balances)
_MOVE_BALANCE = DriverStatement(
    _BALANCE.on_conflict_do_update(
        index_elements=["customer_id", "currency"],
        set_={"open_balance": customer_balances.c.open_balance + _BALANCE.excluded.open_balance},
    ).returning(customer_balances.c.open_balance)
)


class SqlCustomers:
    def __init__(self, session: Transaction) -> None:
        self.session = session

    async def keep(self, customer: Customer) -> None:
        values = {
            "name": customer.name,
            "payment_terms": customer.payment_terms,
            "tax_id": customer.tax_id,
            "billing_address": None
            if customer.billing_address is None
            else dict(customer.billing_address),
        }
        await self.session.execute(
            insert(customers)
            .values(customer_id=customer.customer_id, **values)
            .on_conflict_do_update(index_elements=["customer_id"], set_=values)
        )

    async def get(self, customer_id: str) -> Customer | None:
        rows = await _CUSTOMER.fetch(self.session, {"b_id": customer_id})
        if not rows:
            return None
        found = rows[0]
        return Customer(
            found["customer_id"],
            found["name"],
            found["payment_terms"],
            found["tax_id"],
            found["billing_address"],
        )


class SqlAccounts:
    def __init__(self, session: Transaction) -> None:
        self.session = session

    async def move_balance(self, customer_id: str, change: Money) -> Money:
        moved = await _MOVE_BALANCE.fetch(
            self.session,
            {
                "customer_id": customer_id,
                "currency": change.currency,
                "open_balance": change.amount,
            },
        )
        return Money(moved[0]["open_balance"], change.currency)

    async def balances(self, customer_id: str) -> list[Money]:
        rows = await self.session.execute(
            select(customer_balances.c.currency, customer_balances.c.open_balance)
            .where(customer_balances.c.customer_id == customer_id)
            .order_by(customer_balances.c.currency)
        )
        return [Money(amount, currency) for currency, amount in rows]

    async def credit(self, customer_id: str, currency: str) -> Money:
        found = (
            await self.session.execute(
                select(customer_credits.c.amount)
                .where(customer_credits.c.customer_id == customer_id)
                .where(customer_credits.c.currency == currency)
                .with_for_update()
            )
        ).scalar_one_or_none()
        return Money(Decimal(found if found is not None else 0), currency)

    async def move_credit(
        self, customer_id: str, change: Money, source: str, source_id: str, at: datetime
    ) -> Money:
        upsert = insert(customer_credits).values(
            customer_id=customer_id, currency=change.currency, amount=change.amount
        )
        statement = upsert.on_conflict_do_update(
            index_elements=["customer_id", "currency"],
            set_={"amount": customer_credits.c.amount + upsert.excluded.amount},
        ).returning(customer_credits.c.amount)
        credit = Money((await self.session.execute(statement)).scalar_one(), change.currency)
        await self.session.execute(
            customer_credit_entries.insert().values(
                customer_id=customer_id,
                currency=change.currency,
                amount=change.amount,
                source=source,
                source_id=source_id,
                at=at,
            )
        )
        return credit

    async def credits(self, customer_id: str) -> list[Money]:
        rows = await self.session.execute(
            select(customer_credits.c.currency, customer_credits.c.amount)
            .where(customer_credits.c.customer_id == customer_id)
            .order_by(customer_credits.c.currency)
        )
        return [Money(amount, currency) for currency, amount in rows]
