"""Customer accounts and their open balances in PostgreSQL, and what credit control asks of
them."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, bindparam, select, tuple_
from sqlalchemy.dialects.postgresql import insert

from orders.adapters.tables import customer_balances, customers
from orders.domain.customer_input import Address, Contact, Details
from orders.domain.customers import CreditPosition, Customer, CustomerFilter
from orders.domain.customers import credit_position as position_in
from pricing.money import Money
from servicekit.db import Columns, DriverStatement, Transaction


def _like(text: str) -> str:
    """`text` for a LIKE pattern, its wildcards taken literally (escape character: backslash)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _row(details: Details) -> dict[str, Any]:
    limit = details.credit_limit
    return {
        "name": details.name,
        "kind": details.kind,
        "tax_id": details.tax_id,
        "email": details.email,
        "customer_group": details.customer_group,
        "currency": details.currency,
        "payment_terms": details.payment_terms,
        "tax_zone": details.tax_zone,
        "tax_exemption": details.tax_exemption,
        "credit_limit": None if limit is None else limit.amount,
        "contacts": [
            {"name": c.name, "email": c.email, "phone": c.phone, "role": c.role}
            for c in details.contacts
        ],
        "billing_address": None
        if details.billing_address is None
        else details.billing_address.as_dict(),
        "shipping_address": None
        if details.shipping_address is None
        else details.shipping_address.as_dict(),
    }


def _customer(r: Columns) -> Customer:
    return Customer(
        id=r["id"],
        details=Details(
            name=r["name"],
            kind=r["kind"],
            currency=r["currency"],
            tax_id=r["tax_id"],
            email=r["email"],
            customer_group=r["customer_group"],
            payment_terms=r["payment_terms"],
            credit_limit=None
            if r["credit_limit"] is None
            else Money(r["credit_limit"], r["currency"]).trimmed(),
            contacts=tuple(
                Contact(c["name"], c.get("email", ""), c.get("phone", ""), c.get("role", ""))
                for c in r["contacts"]
            ),
            billing_address=Address.from_dict(r["billing_address"]),
            shipping_address=Address.from_dict(r["shipping_address"]),
            tax_zone=r["tax_zone"],
            tax_exemption=r["tax_exemption"],
        ),
        created_at=r["created_at"],
        created_by=r["created_by"],
        updated_at=r["updated_at"],
        updated_by=r["updated_by"],
        version=r["version"],
    )


# Built once: every order placed reads them (a statement made per call costs more CPU than its
# round trip).
_CUSTOMER = select(customers).where(customers.c.id == bindparam("b_id"))
_CUSTOMERS = {  # read by every order placed: sent on the driver
    False: DriverStatement(_CUSTOMER),
    True: DriverStatement(_CUSTOMER.with_for_update()),
}
_ACCOUNT = select(customers.c.currency, customers.c.credit_limit).where(
    customers.c.id == bindparam("b_id")
)
_OWED = select(customer_balances.c.currency, customer_balances.c.open_balance).where(
    customer_balances.c.customer_id == bindparam("b_id")
)

_BALANCE = insert(customer_balances)
# Every invoice moves a balance: an older figure arriving late changes nothing.
_SET_BALANCE = DriverStatement(
    _BALANCE.on_conflict_do_update(
        index_elements=[customer_balances.c.customer_id, customer_balances.c.currency],
        set_={"open_balance": _BALANCE.excluded.open_balance, "as_of": _BALANCE.excluded.as_of},
        where=customer_balances.c.as_of <= _BALANCE.excluded.as_of,
    )
)


class SqlCustomers:
    def __init__(self, session: Transaction) -> None:
        self.session = session

    async def exists(self, customer_id: str) -> bool:
        found = await self.session.scalar(
            select(customers.c.id).where(customers.c.id == customer_id)
        )
        return found is not None

    async def credit_position(self, customer_id: str) -> CreditPosition | None:
        key = {"b_id": customer_id}
        account = (await self.session.execute(_ACCOUNT, key)).first()
        if account is None:
            return None
        if account.credit_limit is None:  # no limit: what is owed does not matter
            return position_in(account.currency, None, {})
        owed = await self.session.execute(_OWED, key)
        balances = {currency: Decimal(amount) for currency, amount in owed}
        return position_in(account.currency, account.credit_limit, balances)

    async def add(self, customer: Customer) -> None:
        await self.session.execute(
            customers.insert().values(
                id=customer.id,
                version=customer.version,
                created_at=customer.created_at,
                created_by=customer.created_by,
                updated_at=customer.updated_at,
                updated_by=customer.updated_by,
                **_row(customer.details),
            )
        )

    async def get(self, customer_id: str, for_update: bool = False) -> Customer | None:
        rows = await _CUSTOMERS[for_update].fetch(self.session, {"b_id": customer_id})
        return _customer(rows[0]) if rows else None

    async def save(self, customer: Customer) -> bool:
        saved = await self.session.execute(
            customers.update()
            .where(customers.c.id == customer.id, customers.c.version == customer.version - 1)
            .values(
                version=customer.version,
                updated_at=customer.updated_at,
                updated_by=customer.updated_by,
                **_row(customer.details),
            )
            .returning(customers.c.id)
        )
        return saved.first() is not None

    async def page(
        self, wanted: CustomerFilter, after: tuple[str, str] | None, limit: int
    ) -> list[Customer]:
        conditions: list[Any] = []
        if wanted.name_prefix:
            conditions.append(customers.c.name.ilike(f"{_like(wanted.name_prefix)}%", escape="\\"))
        if wanted.name_contains:
            pattern = f"%{_like(wanted.name_contains)}%"
            conditions.append(customers.c.name.ilike(pattern, escape="\\"))
        if wanted.customer_group:
            conditions.append(customers.c.customer_group == wanted.customer_group)
        if after is not None:
            conditions.append(tuple_(customers.c.name, customers.c.id) > after)
        rows = await self.session.execute(
            select(customers)
            .where(and_(True, *conditions))
            .order_by(customers.c.name, customers.c.id)
            .limit(limit)
        )
        return [_customer(r._mapping) for r in rows]

    async def set_balance(self, customer_id: str, balance: Money, as_of: datetime) -> None:
        await _SET_BALANCE.execute(
            self.session,
            {
                "customer_id": customer_id,
                "currency": balance.currency,
                "open_balance": balance.amount,
                "as_of": as_of,
            },
        )
