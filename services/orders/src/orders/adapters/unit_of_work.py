"""The unit of work in PostgreSQL: one transaction holding the repositories, the outbox, the
change log and the processed requests, so all of them commit together or not at all."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from messaging.outbox import Outbox
from orders.adapters.activity import SqlActivity
from orders.adapters.billing_holds import SqlBillingHolds
from orders.adapters.costs import SqlOrderCosts
from orders.adapters.customers import SqlCustomers
from orders.adapters.events import to_message
from orders.adapters.pipelines import SqlPipelines
from orders.adapters.rates import SqlExchangeRates
from orders.adapters.returns import SqlReturns
from orders.adapters.sales_orders import SqlSalesOrders
from orders.adapters.stalled_steps import SqlStalledSteps
from orders.adapters.tables import audit_log, processed_requests
from orders.adapters.tasks import SqlTasks
from orders.domain.events import DomainEvent
from servicekit.audit import AuditLog, Change
from servicekit.db import Database, Transaction
from servicekit.idempotency import SessionRequests

_AUDIT = AuditLog(audit_log)  # once: its statement's text is built when it is made


class SqlAuditTrail:
    def __init__(self, session: Transaction, log: AuditLog) -> None:
        self.session = session
        self.log = log

    async def record(
        self,
        entity_type: str,
        entity_id: str,
        action: str,
        *,
        before: Mapping[str, Any] | None = None,
        after: Mapping[str, Any] | None = None,
    ) -> None:
        await self.log.record(
            self.session, entity_type, entity_id, action, before=before, after=after
        )

    async def record_all(self, entity_type: str, entity_id: str, changes: Sequence[Change]) -> None:
        await self.log.record_all(self.session, entity_type, entity_id, changes)


class SqlUnitOfWork:
    """What one transaction (`session`) reads and writes."""

    def __init__(self, session: Transaction, outbox: Outbox) -> None:
        self.session = session
        self.outbox = outbox
        self.orders = SqlSalesOrders(session)
        self.customers = SqlCustomers(session)
        self.pipelines = SqlPipelines(session)
        self.costs = SqlOrderCosts(session)
        self.returns = SqlReturns(session)
        self.rates = SqlExchangeRates(session)
        self.billing_holds = SqlBillingHolds(session)
        self.stalled = SqlStalledSteps(session)
        self.tasks = SqlTasks(session)
        self.activity = SqlActivity(session)
        self.requests = SessionRequests(session, processed_requests)
        self.audit = SqlAuditTrail(session, _AUDIT)

    async def publish(self, events: Sequence[DomainEvent]) -> None:
        found = (to_message(event) for event in events)
        await self.outbox.add_all(self.session, [f for f in found if f is not None])


@dataclass(frozen=True)
class SqlUnitsOfWork:
    """Makes units of work on the service's database."""

    database: Database
    outbox: Outbox

    @asynccontextmanager
    async def __call__(self) -> AsyncIterator[SqlUnitOfWork]:
        """A unit of work with a transaction of its own: commits when the block ends normally,
        rolls back when it raises."""
        async with self.database.transaction() as session:
            yield SqlUnitOfWork(session, self.outbox)

    def joining(self, session: Transaction) -> SqlUnitOfWork:
        """A unit of work inside `session`'s open transaction (the consumer's, with its inbox)."""
        return SqlUnitOfWork(session, self.outbox)
