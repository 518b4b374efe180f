"""The unit of work on PostgreSQL: one transaction, the repositories working in it, the outbox
the events it causes are written to, the change log and the request ids of commands.

Concurrency: every transaction that changes a product's stock, reservations or backorders first
takes that product's advisory lock (`lock_products`, all of them at once, in one global order,
so two transactions never wait on each other in a cycle). Replicas share the database, so they
share the locks. Conditional updates and `CHECK (on_hand >= reserved)` stay as the last line
of defence: a bug can fail a transaction, never oversell."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from types import TracebackType
from typing import Any

from inventory.adapters.events import to_message
from inventory.adapters.goods_in import SqlExpectedGoodsRepository, SqlReceiptRepository
from inventory.adapters.reservations import SqlReservationRepository
from inventory.adapters.returns import SqlReturnRepository
from inventory.adapters.shipments import SqlShipmentRepository
from inventory.adapters.stock_levels import SqlStockLevelRepository
from inventory.adapters.warehouses import SqlWarehouseRepository
from inventory.application.ports import ClientRequest
from inventory.domain.events import Published
from messaging.consumer import IN_BATCH, BatchConflict
from messaging.outbox import Outbox
from servicekit.audit import AuditLog
from servicekit.db import Database, Transaction, driver
from servicekit.idempotency import ProcessedRequests

# The first key of the two-key advisory locks taken on products (the second is the product's
# hash), apart from any other advisory lock in the database (migrations, the outbox relay).
PRODUCT_LOCK_SPACE = 7_262_100


def product_lock_key(product_id: str) -> int:
    """A stable signed 32-bit key for a product (collisions only serialize a little more)."""
    return int.from_bytes(hashlib.sha256(product_id.encode()).digest()[:4], "big", signed=True)


@dataclass(frozen=True)
class Storage:
    """What every unit of work of the process shares."""

    database: Database
    outbox: Outbox
    audit_log: AuditLog
    processed: ProcessedRequests

    def unit_of_work(self) -> SqlUnitOfWork:
        """A unit of work with a transaction of its own (`async with` it)."""
        return SqlUnitOfWork(self)

    def joining(self, session: Transaction) -> SqlUnitOfWork:
        """A unit of work in a transaction someone else owns (the event consumer's)."""
        uow = SqlUnitOfWork(self)
        uow.bind(session)
        return uow


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


class SqlProcessedRequests:
    def __init__(self, session: Transaction, processed: ProcessedRequests) -> None:
        self.session = session
        self.processed = processed

    async def claim(self, operation: str, request: ClientRequest | None) -> str | None:
        if request is None:
            return None
        return await self.processed.claim(
            self.session, operation, request.request_id, request.fingerprint
        )

    async def complete(self, operation: str, request: ClientRequest | None, result_id: str) -> None:
        if request is not None:
            await self.processed.complete(self.session, operation, request.request_id, result_id)


# sent on the driver (servicekit.db.driver): every shipment and placement takes them
_LOCK = "SELECT pg_advisory_xact_lock($1, $2)"
_TRY_LOCK = "SELECT pg_try_advisory_xact_lock($1, $2)"


class SqlUnitOfWork:
    warehouses: SqlWarehouseRepository
    levels: SqlStockLevelRepository
    reservations: SqlReservationRepository
    shipments: SqlShipmentRepository
    receipts: SqlReceiptRepository
    expected_goods: SqlExpectedGoodsRepository
    returns: SqlReturnRepository
    audit: SqlAuditTrail
    requests: SqlProcessedRequests

    def __init__(self, storage: Storage) -> None:
        self.storage = storage
        self._transaction: AbstractAsyncContextManager[Transaction] | None = None

    def bind(self, session: Transaction) -> None:
        self.session = session
        self.warehouses = SqlWarehouseRepository(session)
        self.levels = SqlStockLevelRepository(session)
        self.reservations = SqlReservationRepository(session)
        self.shipments = SqlShipmentRepository(session)
        self.receipts = SqlReceiptRepository(session)
        self.expected_goods = SqlExpectedGoodsRepository(session)
        self.returns = SqlReturnRepository(session)
        self.audit = SqlAuditTrail(session, self.storage.audit_log)
        self.requests = SqlProcessedRequests(session, self.storage.processed)

    async def __aenter__(self) -> SqlUnitOfWork:
        self._transaction = self.storage.database.transaction()
        self.bind(await self._transaction.__aenter__())
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        """Commits when the block ended normally, rolls back when it raised."""
        assert self._transaction is not None, "a joined unit of work is not entered"
        transaction, self._transaction = self._transaction, None
        await transaction.__aexit__(kind, error, trace)

    async def lock_products(self, product_ids: Iterable[str]) -> None:
        # In order, so two transactions never wait on each other in a cycle; an event batch
        # holds the locks of its earlier events, so it only tries (messaging.consumer.IN_BATCH).
        batch = bool(self.session.info.get(IN_BATCH))
        keys = sorted({product_lock_key(p) for p in product_ids})
        if not keys:
            return
        connection = await driver(self.session)
        for key in keys:
            if not batch:
                await connection.execute(_LOCK, PRODUCT_LOCK_SPACE, key)
            elif not await connection.fetchval(_TRY_LOCK, PRODUCT_LOCK_SPACE, key):
                raise BatchConflict(f"product lock {key} is taken")

    async def publish(self, events: Sequence[Published]) -> None:
        await self.storage.outbox.add_all(self.session, [to_message(event) for event in events])
