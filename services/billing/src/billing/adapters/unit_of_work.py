"""The unit of work in PostgreSQL: one transaction (servicekit.db) with every repository, the
outbox (events written with the state they announce), the change log (servicekit.audit), the
requests done and the gap-free number series (servicekit.numbering)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, Self

from sqlalchemy import Table

from billing.adapters.bills import SqlBills, SqlPurchaseOrders
from billing.adapters.credit_notes import SqlCreditNotes
from billing.adapters.customers import SqlAccounts, SqlCustomers
from billing.adapters.dunning import SqlDunning
from billing.adapters.events import to_message
from billing.adapters.exchange_rates import SqlExchangeRates
from billing.adapters.invoices import SqlInvoices
from billing.adapters.ledger import SqlLedger
from billing.adapters.orders import SqlOrderCopies, SqlReturns
from billing.adapters.payments import SqlPayments
from billing.adapters.supplier_payments import SqlSupplierPayments
from billing.adapters.tables import (
    audit_log,
    credit_note_sequences,
    invoice_sequences,
    processed_requests,
)
from billing.application.ports import CREDIT_NOTES, INVOICES
from billing.application.retries import Retry
from billing.domain.events import DomainEvent
from messaging.consumer import IN_BATCH, BatchConflict
from messaging.outbox import Outbox
from servicekit.audit import AuditLog
from servicekit.db import Database, Transaction
from servicekit.idempotency import ProcessedRequests
from servicekit.numbering import next_number, take_turn

SERIES = {INVOICES: invoice_sequences, CREDIT_NOTES: credit_note_sequences}
_AUDIT = AuditLog(audit_log)


class SqlUnitOfWork:
    """A new transaction each time it is entered; `joining` one already open (an event's, with
    its inbox claim) leaves committing to whoever opened it."""

    def __init__(self, database: Database | None, outbox: Outbox) -> None:
        self.database = database
        self.outbox = outbox
        self._transaction: AbstractAsyncContextManager[Transaction] | None = None

    @classmethod
    def joining(cls, session: Transaction, outbox: Outbox) -> SqlUnitOfWork:
        uow = cls(None, outbox)
        uow._bind(session)
        return uow

    def _bind(self, session: Transaction) -> None:
        self.session = session
        self.invoices = SqlInvoices(session)
        self.credit_notes = SqlCreditNotes(session)
        self.payments = SqlPayments(session)
        self.orders = SqlOrderCopies(session)
        self.returns = SqlReturns(session)
        self.customers = SqlCustomers(session)
        self.accounts = SqlAccounts(session)
        self.purchase_orders = SqlPurchaseOrders(session)
        self.bills = SqlBills(session)
        self.supplier_payments = SqlSupplierPayments(session)
        self.rates = SqlExchangeRates(session)
        self.dunning = SqlDunning(session)
        self.ledger = SqlLedger(session)
        self.audit = SqlAudit(session)
        self.requests = SqlRequests(session, processed_requests)
        self.numbers = SqlNumbers(session)

    async def publish(self, events: Sequence[DomainEvent]) -> None:
        await self.outbox.add_all(self.session, [to_message(event) for event in events])

    async def __aenter__(self) -> Self:
        assert self.database is not None, "a joined unit of work is already open"
        self._transaction = self.database.transaction()
        self._bind(await self._transaction.__aenter__())
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        assert self._transaction is not None
        transaction, self._transaction = self._transaction, None
        await transaction.__aexit__(kind, error, traceback)


class SqlAudit:
    def __init__(self, session: Transaction) -> None:
        self.session = session

    async def record(
        self,
        entity_type: str,
        entity_id: str,
        action: str,
        *,
        before: Mapping[str, Any] | None = None,
        after: Mapping[str, Any] | None = None,
    ) -> None:
        await _AUDIT.record(
            self.session, entity_type, entity_id, action, before=before, after=after
        )


class SqlNumbers:
    def __init__(self, session: Transaction) -> None:
        self.session = session

    async def next(self, series: str, year: int) -> int:
        return await next_number(self.session, SERIES[series], year)

    async def take_turn(self, series: str) -> None:
        """In a batch of events (messaging.consumer.IN_BATCH) the counter is locked now if it
        is free, and BatchConflict raised if another transaction holds it: the events before
        this one commit and it is applied alone, waiting its turn. A batch holds its earlier
        events' locks: waiting for the counter there kept other batches waiting on them, until
        a lock timeout undid the whole batch."""
        year = datetime.now(UTC).year
        if self.session.info.get(IN_BATCH) and not await take_turn(
            self.session, SERIES[series], year
        ):
            raise BatchConflict(f"the {series} counter is taken")


class SqlRequests:
    """servicekit.idempotency's requests table, claimed with the fingerprint the entrypoint took
    of the request as sent (the use cases never see protobuf)."""

    def __init__(self, session: Transaction, table: Table) -> None:
        self.session = session
        self.requests = ProcessedRequests(table)

    async def claim(self, operation: str, retry: Retry) -> str | None:
        return await self.requests.claim(
            self.session, operation, retry.request_id, retry.fingerprint
        )

    async def complete(self, operation: str, retry: Retry, result_id: str) -> None:
        await self.requests.complete(self.session, operation, retry.request_id, result_id)
