"""The catalog's unit of work on PostgreSQL: one transaction holding the repositories, the
outbox (the events it publishes), the change log and the client request ids. It commits when its
block ends normally and rolls back when it raises."""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import AbstractAsyncContextManager
from types import TracebackType
from typing import Any

from sqlalchemy import Table

from catalog.adapters.categories import SqlCategoryRepository
from catalog.adapters.events import to_message
from catalog.adapters.price_lists import SqlPriceListRepository
from catalog.adapters.products import SqlProductRepository
from catalog.adapters.tax_rules import SqlTaxRuleRepository
from catalog.domain.events import ProductEvent
from messaging.outbox import Outbox
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
    """One use case's transaction; a new one for each (`bootstrap` hands out a factory)."""

    products: SqlProductRepository
    categories: SqlCategoryRepository
    price_lists: SqlPriceListRepository
    tax_rules: SqlTaxRuleRepository
    changes: SqlChangeLog
    requests: SessionRequests

    def __init__(
        self,
        database: Database,
        outbox: Outbox,
        audit: AuditLog,
        processed_requests: Table,
        reading: bool = False,
    ) -> None:
        self._database = database
        # a query's: read without BEGIN and COMMIT (servicekit.db.Database.reading)
        self._reading = reading
        self._outbox = outbox
        self._audit = audit
        self._processed_requests = processed_requests
        self._transaction: AbstractAsyncContextManager[Transaction] | None = None
        self._session: Transaction | None = None

    async def __aenter__(self) -> SqlUnitOfWork:
        if self._transaction is not None:
            raise RuntimeError("a unit of work is used once")
        self._transaction = (
            self._database.reading() if self._reading else self._database.transaction()
        )
        session = self._session = await self._transaction.__aenter__()
        self.products = SqlProductRepository(session)
        self.categories = SqlCategoryRepository(session)
        self.price_lists = SqlPriceListRepository(session)
        self.tax_rules = SqlTaxRuleRepository(session)
        self.changes = SqlChangeLog(session, self._audit)
        self.requests = SessionRequests(session, self._processed_requests)
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        assert self._transaction is not None
        await self._transaction.__aexit__(kind, error, trace)

    async def publish(self, *events: ProductEvent) -> None:
        assert self._session is not None, "publish inside the unit of work's block"
        await self._outbox.add_all(
            self._session, [(to_message(event), event.product_id) for event in events]
        )
