"""Customer use cases. Each is one transaction: the account and its event commit together."""

from __future__ import annotations

import uuid
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
    check_input,
    open_account,
)
from pricing.money import InvalidMoney
from pricing.wire import money_from_proto, money_to_proto
from servicekit.context import current_principal
from servicekit.db import Database
from servicekit.errors import FailedPrecondition, InvalidArgument, NotFound
from servicekit.paging import page_after, page_token

MAX_PAGE = 200
DEFAULT_PAGE = 50
MAX_FILTER = 200


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


class Customers:
    def __init__(self, database: Database, outbox: Outbox) -> None:
        self.database = database
        self.outbox = outbox

    async def create(self, entered: CustomerInput) -> Customer:
        customer = open_account(
            str(uuid.uuid4()), entered, datetime.now(UTC), current_principal().subject
        )
        async with self.database.transaction() as session:
            await CustomerRepository(session).add(customer)
            registered = events.CustomerRegistered(customer=account_of(customer))
            await self.outbox.add(session, registered, key=customer.id)
        return customer

    async def get(self, customer_id: str) -> Customer:
        async with self.database.transaction() as session:
            customer = await CustomerRepository(session).get(customer_id)
        if customer is None:
            raise NotFound(f"customer {customer_id} not found")
        return customer

    async def update(self, customer_id: str, entered: CustomerInput, version: int) -> Customer:
        """Replaces every editable field; `version` (when not 0) must be the stored one."""
        details = check_input(entered)
        async with self.database.transaction() as session:
            repository = CustomerRepository(session)
            current = await repository.get(customer_id, for_update=True)
            if current is None:
                raise NotFound(f"customer {customer_id} not found")
            if version and version != current.version:
                raise FailedPrecondition(
                    f"customer {customer_id} is at version {current.version}, not {version}"
                )
            customer = current.replaced(details, datetime.now(UTC), current_principal().subject)
            if not await repository.save(customer):
                raise FailedPrecondition(f"customer {customer_id} changed meanwhile; retry")
            changed = events.CustomerChanged(customer=account_of(customer))
            await self.outbox.add(session, changed, key=customer.id)
        return customer

    async def page(
        self, wanted: CustomerFilter, page_size: int, token: str
    ) -> tuple[list[Customer], str]:
        problems = []
        if not 0 <= page_size <= MAX_PAGE:
            problems.append(InvalidArgument.of("page_size", f"between 1 and {MAX_PAGE}"))
        for name, value in (
            ("name_prefix", wanted.name_prefix),
            ("name_contains", wanted.name_contains),
            ("customer_group", wanted.customer_group),
        ):
            if len(value) > MAX_FILTER:
                problems.append(InvalidArgument.of(name, f"at most {MAX_FILTER} characters"))
        if problems:
            raise InvalidArgument(
                "; ".join(p.message for p in problems),
                tuple(v for p in problems for v in p.violations),
            )
        key = page_after(token, 2)
        after = (key[0], key[1]) if key else None
        limit = page_size or DEFAULT_PAGE
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
