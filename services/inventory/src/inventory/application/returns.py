"""Returns: our copy of those orders authorised (ReturnAuthorized), and their goods received back
on hand, once."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from inventory.adapters.repository import InventoryStore
from inventory.adapters.tables import return_lines, returns
from inventory.application.ledger import StockBook
from inventory.application.ports import ClientRequest, Retries
from inventory.application.shipments import ShippedLine
from messaging.envelope import Envelope
from messaging.outbox import Outbox
from oms.events.v1 import inventory_pb2 as events
from oms.events.v1 import orders_pb2
from servicekit.audit import AuditLog
from servicekit.context import current_principal
from servicekit.db import Database
from servicekit.errors import FailedPrecondition, NotFound, Violations

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Return:
    return_id: str
    order_id: str
    warehouse_id: str
    lines: list[ShippedLine]
    status: str
    received_at: datetime | None
    received_by: str


def _audited(received: Return) -> dict[str, Any]:
    return {
        "status": received.status,
        "order_id": received.order_id,
        "warehouse_id": received.warehouse_id,
        "lines": [{"product_id": x.product_id, "quantity": x.quantity} for x in received.lines],
    }


class Returns:
    def __init__(
        self, database: Database, outbox: Outbox, audit: AuditLog, retries: Retries
    ) -> None:
        self.database = database
        self.outbox = outbox
        self.audit = audit
        self.retries = retries

    async def on_return_authorized(
        self, session: AsyncSession, authorized: orders_pb2.ReturnAuthorized, envelope: Envelope
    ) -> None:
        """Keeps a copy of the return, for ReceiveReturn."""
        added = await session.execute(
            insert(returns)
            .values(
                return_id=authorized.return_id,
                order_id=authorized.order_id,
                reason=authorized.reason[:500],
                status="authorized",
                authorized_at=envelope.time,
            )
            .on_conflict_do_nothing()
            .returning(returns.c.return_id)
        )
        if added.first() is None:
            log.info("return %s is known already", authorized.return_id)
            return
        lines = [x for x in authorized.lines if x.quantity > 0]
        if lines:
            await session.execute(
                return_lines.insert(),
                [
                    {
                        "return_id": authorized.return_id,
                        "position": i,
                        "line_id": x.line_id,
                        "product_id": x.product_id,
                        "quantity": x.quantity,
                    }
                    for i, x in enumerate(lines)
                ],
            )

    async def receive(
        self, return_id: str, warehouse_id: str, request: ClientRequest | None = None
    ) -> Return:
        """Puts an authorised return's goods back on hand, once."""
        problems = Violations()
        if not return_id:
            problems.add("return_id", "required")
        if not warehouse_id:
            problems.add("warehouse_id", "required")
        problems.raise_if_any()
        async with self.database.transaction() as session:
            if await self.retries.claim(session, "receive_return", request) is not None:
                return await self._return(session, return_id)
            head = (
                await session.execute(
                    select(returns).where(returns.c.return_id == return_id).with_for_update()
                )
            ).first()
            if head is None:
                raise NotFound(f"return {return_id} was not authorised")
            if head.status == "received":
                raise FailedPrecondition(
                    f"return {return_id} was received already, in warehouse {head.warehouse_id}"
                )
            store = InventoryStore(session)
            await store.require_warehouses(warehouse_id)
            received = Return(
                return_id,
                head.order_id,
                warehouse_id,
                await self._lines(session, return_id),
                "received",
                datetime.now(UTC),
                current_principal().subject,
            )
            await self._put_back(store, received)
            await self.retries.complete(session, "receive_return", request, return_id)
            return received

    async def _put_back(self, store: InventoryStore, received: Return) -> None:
        """The returned goods on hand, the return marked received, announced and logged."""
        await store.lock_products(x.product_id for x in received.lines)
        book = StockBook(store, self.outbox)
        for line in received.lines:
            await book.put(
                received.warehouse_id,
                line.product_id,
                line.quantity,
                kind="return",
                reason=f"returned with {received.return_id}",
                reference=received.order_id,
            )
        await store.session.execute(
            returns.update()
            .where(returns.c.return_id == received.return_id)
            .values(
                status="received",
                warehouse_id=received.warehouse_id,
                received_at=received.received_at,
                received_by=received.received_by,
            )
        )
        announced = events.ReturnReceived(
            return_id=received.return_id,
            order_id=received.order_id,
            warehouse_id=received.warehouse_id,
            lines=[
                events.ShippedLine(line_id=x.line_id, product_id=x.product_id, quantity=x.quantity)
                for x in received.lines
            ],
        )
        await self.outbox.add(store.session, announced, key=received.order_id)
        await book.settle()
        await self.audit.record(
            store.session,
            "return",
            received.return_id,
            "received",
            before={"status": "authorized"},
            after=_audited(received),
        )

    async def _return(self, session: AsyncSession, return_id: str) -> Return:
        head = (
            await session.execute(select(returns).where(returns.c.return_id == return_id))
        ).one()
        return Return(
            head.return_id,
            head.order_id,
            head.warehouse_id or "",
            await self._lines(session, return_id),
            head.status,
            head.received_at,
            head.received_by or "",
        )

    @staticmethod
    async def _lines(session: AsyncSession, return_id: str) -> list[ShippedLine]:
        rows = await session.execute(
            select(return_lines)
            .where(return_lines.c.return_id == return_id)
            .order_by(return_lines.c.position)
        )
        return [ShippedLine(r.line_id, r.product_id, r.quantity) for r in rows]
