"""Customer use cases. Each is one transaction: the account, its event and its change log entry
commit together. Only finance (or an admin) sets a credit limit or changes payment terms."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from messaging.consumer import PoisonEvent
from messaging.envelope import Envelope
from messaging.outbox import Outbox
from oms.events.v1 import billing_pb2
from oms.events.v1 import orders_pb2 as events
from orders.adapters.customers import CustomerRepository
from orders.domain.customers import (
    Customer,
    CustomerFilter,
    CustomerInput,
    Details,
    check_input,
    finance_changes,
    merged,
    open_account,
    recorded,
)
from pricing.money import InvalidMoney
from pricing.wire import money_from_proto, money_to_proto
from servicekit.audit import AuditLog, changed
from servicekit.context import current_principal
from servicekit.db import Database
from servicekit.errors import (
    FailedPrecondition,
    FieldViolation,
    NotFound,
    PermissionDenied,
    Violations,
)
from servicekit.paging import page_after, page_limit, page_token

MAX_FILTER = 200
ENTITY = "customer"


def account_of(customer: Customer) -> events.CustomerAccount:
    """The account as other services keep a copy of it."""
    details = customer.details
    account = events.CustomerAccount(
        customer_id=customer.id,
        name=details.name,
        kind=details.kind,
        customer_group=details.customer_group,
        currency=details.currency,
        payment_terms=details.payment_terms,
        tax_id=details.tax_id,
        email=details.email,
    )
    if details.credit_limit is not None:
        account.credit_limit.CopyFrom(money_to_proto(details.credit_limit))
    return account


def _check_finance(before: Details | None, after: Details) -> None:
    """PermissionDenied naming the credit terms a caller other than finance would set."""
    changing = finance_changes(before, after)
    if changing and not current_principal().has_any("finance"):
        raise PermissionDenied(
            f"only finance sets {' and '.join(changing)}",
            tuple(FieldViolation(name, "set by finance only") for name in changing),
        )


class Customers:
    def __init__(self, database: Database, outbox: Outbox, audit: AuditLog) -> None:
        self.database = database
        self.outbox = outbox
        self.audit = audit

    async def create(self, entered: CustomerInput) -> Customer:
        customer = open_account(
            str(uuid.uuid4()), entered, datetime.now(UTC), current_principal().subject
        )
        _check_finance(None, customer.details)
        async with self.database.transaction() as session:
            await CustomerRepository(session).add(customer)
            registered = events.CustomerRegistered(customer=account_of(customer))
            await self.outbox.add(session, registered, key=customer.id)
            await self.audit.record(
                session, ENTITY, customer.id, "created", after=recorded(customer.details)
            )
        return customer

    async def get(self, customer_id: str) -> Customer:
        async with self.database.transaction() as session:
            customer = await CustomerRepository(session).get(customer_id)
        if customer is None:
            raise NotFound(f"customer {customer_id} not found")
        return customer

    async def update(
        self, customer_id: str, given: CustomerInput, replaced: Collection[str], version: int
    ) -> Customer:
        """Replaces the `replaced` fields with `given`'s, keeping the others; `version` (when not
        0) must be the stored one."""
        async with self.database.transaction() as session:
            repository = CustomerRepository(session)
            current = await repository.get(customer_id, for_update=True)
            if current is None:
                raise NotFound(f"customer {customer_id} not found")
            if version and version != current.version:
                raise FailedPrecondition(
                    f"customer {customer_id} is at version {current.version}, not {version}"
                )
            details = check_input(merged(current.details, given, replaced))
            _check_finance(current.details, details)
            customer = current.replaced(details, datetime.now(UTC), current_principal().subject)
            if not await repository.save(customer):
                raise FailedPrecondition(f"customer {customer_id} changed meanwhile; retry")
            announced = events.CustomerChanged(customer=account_of(customer))
            await self.outbox.add(session, announced, key=customer.id)
            before, after = changed(recorded(current.details), recorded(details))
            await self.audit.record(
                session, ENTITY, customer.id, "changed", before=before, after=after
            )
        return customer

    async def page(
        self, wanted: CustomerFilter, page_size: int, token: str
    ) -> tuple[list[Customer], str]:
        problems = Violations()
        for name, value in (
            ("name_prefix", wanted.name_prefix),
            ("name_contains", wanted.name_contains),
            ("customer_group", wanted.customer_group),
        ):
            if len(value) > MAX_FILTER:
                problems.add(name, f"at most {MAX_FILTER} characters")
        problems.raise_if_any()
        limit = page_limit(page_size)
        key = page_after(token, 2)
        after = (key[0], key[1]) if key else None
        async with self.database.transaction() as session:
            found = await CustomerRepository(session).page(wanted, after, limit + 1)
        if len(found) > limit:
            last = found[limit - 1]
            return found[:limit], page_token(last.details.name, last.id)
        return found, ""

    async def on_customer_balance_changed(
        self,
        session: AsyncSession,
        event: billing_pb2.CustomerBalanceChanged,
        envelope: Envelope,
    ) -> None:
        """Billing's new open balance of a customer in one currency, kept as the latest."""
        if not event.customer_id:
            raise PoisonEvent("CustomerBalanceChanged without a customer_id")
        try:
            balance = money_from_proto(event.open_balance)
        except InvalidMoney as error:
            raise PoisonEvent(f"open_balance of {event.customer_id}: {error}") from error
        await CustomerRepository(session).set_balance(event.customer_id, balance, datetime.now(UTC))
