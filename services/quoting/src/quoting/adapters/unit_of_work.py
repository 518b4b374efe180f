"""The unit of work in PostgreSQL: one transaction holding the repositories, the outbox rows of
the events it publishes, its change-log entries and the client request ids it completes,
committed when the block ends normally."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from types import TracebackType
from typing import Any

from messaging.outbox import Outbox
from quoting.adapters.customer_repository import SqlCustomerRepository
from quoting.adapters.events import key_of, to_message
from quoting.adapters.quote_repository import SqlQuoteRepository
from quoting.adapters.request_repository import SqlRequestRepository
from quoting.adapters.tables import processed_requests
from quoting.adapters.template_repository import SqlTemplateRepository
from quoting.domain.events import QuoteEvent, RequestEvent
from servicekit.audit import AuditLog
from servicekit.db import Database, Transaction
from servicekit.idempotency import SessionRequests


class SqlUnitOfWork:
    """A new transaction of `database`; or, made with `joining`, the consumer's transaction an
    event is applied in (which the consumer commits with its inbox claim)."""

    session: Transaction
    quotes: SqlQuoteRepository
    templates: SqlTemplateRepository
    customers: SqlCustomerRepository
    customer_requests: SqlRequestRepository
    retries: SessionRequests

    def __init__(self, database: Database | None, outbox: Outbox, audit: AuditLog) -> None:
        self.database = database
        self.outbox = outbox
        self.audit = audit
        self._transaction: AbstractAsyncContextManager[Transaction] | None = None

    @classmethod
    def joining(cls, session: Transaction, outbox: Outbox, audit: AuditLog) -> SqlUnitOfWork:
        uow = cls(None, outbox, audit)
        uow._bind(session)
        return uow

    def _bind(self, session: Transaction) -> None:
        self.session = session
        self.quotes = SqlQuoteRepository(session)
        self.templates = SqlTemplateRepository(session)
        self.customers = SqlCustomerRepository(session)
        self.customer_requests = SqlRequestRepository(session)
        self.retries = SessionRequests(session, processed_requests)

    async def __aenter__(self) -> SqlUnitOfWork:
        if self.database is not None:
            self._transaction = self.database.transaction()
            self._bind(await self._transaction.__aenter__())
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._transaction is not None:
            transaction, self._transaction = self._transaction, None
            await transaction.__aexit__(kind, error, traceback)

    async def publish(self, events: Sequence[QuoteEvent | RequestEvent]) -> None:
        await self.outbox.add_all(
            self.session, [(to_message(event), key_of(event)) for event in events]
        )

    async def record(
        self,
        entity_type: str,
        entity_id: str,
        action: str,
        *,
        before: Mapping[str, Any] | None = None,
        after: Mapping[str, Any] | None = None,
    ) -> None:
        await self.audit.record(
            self.session, entity_type, entity_id, action, before=before, after=after
        )
