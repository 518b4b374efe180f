"""Billing's credit holds on customers (overdue invoices), as announced, in PostgreSQL."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, delete, select
from sqlalchemy.dialects.postgresql import insert

from orders.adapters.tables import billing_credit_holds
from servicekit.db import DriverStatement, Transaction

# Built once and sent on the driver: every order placed asks.
_REASON = DriverStatement(
    select(billing_credit_holds.c.reason).where(
        billing_credit_holds.c.customer_id == bindparam("b_id")
    )
)


class SqlBillingHolds:
    def __init__(self, session: Transaction) -> None:
        self.session = session

    async def hold(self, customer_id: str, reason: str, at: datetime) -> None:
        statement = insert(billing_credit_holds).values(
            customer_id=customer_id, reason=reason, since=at
        )
        await self.session.execute(
            statement.on_conflict_do_update(
                index_elements=[billing_credit_holds.c.customer_id],
                set_={"reason": statement.excluded.reason},
            )
        )

    async def release(self, customer_id: str) -> None:
        await self.session.execute(
            delete(billing_credit_holds).where(billing_credit_holds.c.customer_id == customer_id)
        )

    async def reason(self, customer_id: str) -> str:
        found = await _REASON.fetch(self.session, {"b_id": customer_id})
        return str(found[0]["reason"]) if found else ""
