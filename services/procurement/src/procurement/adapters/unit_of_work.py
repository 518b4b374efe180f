"""Procurement's unit of work on PostgreSQL: one transaction holding the repositories, the
outbox (the events it publishes), the change log and the client request ids. A use case's
commits when its block ends normally and rolls back when it raises; an event's reaction joins
the consumer's transaction, which commits with the inbox row."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from types import TracebackType
from typing import Any

from sqlalchemy import Table

from messaging.outbox import Outbox
from procurement.adapters.contracts import SqlContractRepository
from procurement.adapters.events import to_message
from procurement.adapters.purchase_orders import SqlPurchaseOrderRepository
from procurement.adapters.reorder_rules import SqlReorderRuleRepository
from procurement.adapters.rfqs import SqlRfqRepository
from procurement.adapters.suppliers import SqlSupplierRepository
from procurement.domain.events import DomainEvent
from servicekit.audit import AuditLog
from servicekit.db import Database, Transaction
from servicekit.idempotency import SessionRequests


class SqlChangeLog:
    """servicekit's audit log, written in this unit of work's transaction."""

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


class SqlUnitOfWork:
    """One transaction's repositories, outbox, change log and request ids. Made by
    `SqlUnitsOfWork`: `begin()` for a use case's own transaction, `joining(session)` for one
    already open (the consumer's)."""

    suppliers: SqlSupplierRepository
    rfqs: SqlRfqRepository
    contracts: SqlContractRepository
    purchase_orders: SqlPurchaseOrderRepository
    reorder_rules: SqlReorderRuleRepository
    changes: SqlChangeLog
    requests: SessionRequests

    def __init__(self, units: SqlUnitsOfWork, session: Transaction | None = None) -> None:
        self._units = units
        self._transaction: AbstractAsyncContextManager[Transaction] | None = None
        self._session: Transaction | None = None
        self._joined = session is not None
        if session is not None:
            self._bind(session)

    def _bind(self, session: Transaction) -> None:
        self._session = session
        self.suppliers = SqlSupplierRepository(session)
        self.rfqs = SqlRfqRepository(session)
        self.contracts = SqlContractRepository(session)
        self.purchase_orders = SqlPurchaseOrderRepository(session)
        self.reorder_rules = SqlReorderRuleRepository(session)
        self.changes = SqlChangeLog(session, self._units.audit)
        self.requests = SessionRequests(session, self._units.processed_requests)

    async def publish(self, events: Sequence[DomainEvent]) -> None:
        assert self._session is not None, "a unit of work publishes inside its block"
        await self._units.outbox.add_all(
            self._session, [(to_message(event), event.key) for event in events]
        )

    async def __aenter__(self) -> SqlUnitOfWork:
        if self._joined:
            return self  # the transaction's owner ends it
        if self._transaction is not None:
            raise RuntimeError("a unit of work is used once")
        self._transaction = self._units.database.transaction()
        self._bind(await self._transaction.__aenter__())
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._transaction is not None:
            await self._transaction.__aexit__(kind, error, trace)


class SqlUnitsOfWork:
    """Makes units of work over one database, outbox, change log and request table."""

    def __init__(
        self, database: Database, outbox: Outbox, audit: AuditLog, processed_requests: Table
    ) -> None:
        self.database = database
        self.outbox = outbox
        self.audit = audit
        self.processed_requests = processed_requests

    def begin(self) -> SqlUnitOfWork:
        """A unit of work that opens its own transaction when its block starts."""
        return SqlUnitOfWork(self)

    def joining(self, session: Transaction) -> SqlUnitOfWork:
        """A unit of work inside `session`'s transaction, which its owner commits."""
        return SqlUnitOfWork(self, session)
