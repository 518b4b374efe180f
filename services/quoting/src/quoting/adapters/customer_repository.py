"""Quoting's copy of the customer master in PostgreSQL."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert

from quoting.adapters.tables import customers
from quoting.domain.customer import Customer
from servicekit.db import Transaction


class SqlCustomerRepository:
    def __init__(self, session: Transaction) -> None:
        self.session = session

    async def put(self, customer: Customer) -> None:
        values = {
            "name": customer.name,
            "customer_group": customer.customer_group,
            "currency": customer.currency,
            "payment_terms": customer.payment_terms,
            "billing_address": list(customer.address),
            "tax_zone": customer.tax_zone,
            "tax_exemption": customer.tax_exemption,
        }
        await self.session.execute(
            insert(customers)
            .values(customer_id=customer.customer_id, **values)
            .on_conflict_do_update(index_elements=["customer_id"], set_=values)
        )

    async def get(self, customer_id: str) -> Customer | None:
        query = select(customers).where(customers.c.customer_id == customer_id)
        row = (await self.session.execute(query)).first()
        if row is None:
            return None
        return Customer(
            row.customer_id,
            row.name,
            row.customer_group,
            row.currency,
            row.payment_terms,
            tuple(row.billing_address or ()),
            row.tax_zone,
            row.tax_exemption,
        )
