"""Goods in: receipts into a warehouse (from a purchase order when one is named) and the goods
purchase orders announce (expected, counted as incoming until received). Receipts fill
backorders first come, first served (`StockBook.settle`)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from inventory.adapters.repository import InventoryStore
from inventory.adapters.tables import expected_goods, receipt_lines, receipts
from inventory.application.ledger import StockBook
from inventory.application.ports import ClientRequest, ProductCatalog, Retries, require_products
from inventory.domain.commands import check_expectation, check_receipt
from messaging.consumer import PoisonEvent
from messaging.envelope import Envelope
from messaging.outbox import Outbox
from oms.events.v1 import inventory_pb2 as events
from oms.events.v1 import procurement_pb2
from servicekit.audit import AuditLog
from servicekit.context import current_principal
from servicekit.db import Database
from servicekit.errors import InvalidArgument, NotFound


@dataclass(frozen=True)
class ReceiptLine:
    product_id: str
    quantity: int


@dataclass(frozen=True)
class Receipt:
    id: str
    warehouse_id: str
    purchase_order_id: str
    lines: list[ReceiptLine]
    created_at: datetime
    created_by: str


@dataclass(frozen=True)
class ExpectedLine:
    product_id: str
    quantity: int
    received: int


@dataclass(frozen=True)
class Expectation:
    purchase_order_id: str
    warehouse_id: str
    lines: list[ExpectedLine]


def _products_of(lines: Sequence[tuple[str, int]]) -> dict[str, str]:
    return {f"lines[{i}].product_id": product_id for i, (product_id, _) in enumerate(lines)}


class Receipts:
    def __init__(
        self,
        database: Database,
        outbox: Outbox,
        catalog: ProductCatalog,
        audit: AuditLog,
        retries: Retries,
    ) -> None:
        self.database = database
        self.outbox = outbox
        self.catalog = catalog
        self.audit = audit
        self.retries = retries

    async def receive(
        self,
        warehouse_id: str,
        purchase_order_id: str,
        lines: Sequence[tuple[str, int]],
        receipt_id: str = "",
        request: ClientRequest | None = None,
    ) -> Receipt:
        check_receipt(warehouse_id, lines, purchase_order_id, receipt_id)
        await require_products(self.catalog, _products_of(lines))
        receipt = Receipt(
            receipt_id.strip() or str(uuid.uuid4()),
            warehouse_id,
            purchase_order_id.strip(),
            [ReceiptLine(p, q) for p, q in lines],
            datetime.now(UTC),
            current_principal().subject,
        )
        async with self.database.transaction() as session:
            done = await self.retries.claim(session, "receive_goods", request)
            if done is not None:
                return await self._receipt(session, done)
            store = InventoryStore(session)
            await store.require_warehouses(warehouse_id)
            await store.lock_products(p for p, _ in lines)
            if not await self._add(session, receipt):  # received already under its id
                return await self._receipt(session, receipt.id)
            await self._put_away(store, receipt)
            await self.retries.complete(session, "receive_goods", request, receipt.id)
        return receipt

    async def _add(self, session: AsyncSession, receipt: Receipt) -> bool:
        added = await session.execute(
            insert(receipts)
            .values(
                id=receipt.id,
                warehouse_id=receipt.warehouse_id,
                purchase_order_id=receipt.purchase_order_id,
                created_by=receipt.created_by,
                created_at=receipt.created_at,
            )
            .on_conflict_do_nothing()
            .returning(receipts.c.id)
        )
        if added.first() is None:
            return False
        await session.execute(
            receipt_lines.insert(),
            [
                {
                    "receipt_id": receipt.id,
                    "position": i,
                    "product_id": x.product_id,
                    "quantity": x.quantity,
                }
                for i, x in enumerate(receipt.lines)
            ],
        )
        return True

    async def _put_away(self, store: InventoryStore, receipt: Receipt) -> None:
        """The receipt's goods on hand, counted against its purchase order, announced, logged."""
        book = StockBook(store, self.outbox)
        order = receipt.purchase_order_id
        reason = f"received against purchase order {order}" if order else "goods received"
        for line in receipt.lines:
            await book.put(
                receipt.warehouse_id,
                line.product_id,
                line.quantity,
                kind="receipt",
                reason=reason,
                reference=receipt.id,
            )
            if order:
                await self._count_received(store.session, receipt, line)
        await self.outbox.add(
            store.session,
            events.GoodsReceived(
                receipt_id=receipt.id,
                purchase_order_id=order,
                warehouse_id=receipt.warehouse_id,
                lines=[
                    events.ReceivedLine(product_id=x.product_id, quantity=x.quantity)
                    for x in receipt.lines
                ],
            ),
            key=receipt.id,
        )
        await book.settle()
        await self.audit.record(
            store.session,
            "receipt",
            receipt.id,
            "received",
            after={
                "warehouse_id": receipt.warehouse_id,
                "purchase_order_id": order,
                "lines": [
                    {"product_id": x.product_id, "quantity": x.quantity} for x in receipt.lines
                ],
            },
        )

    @staticmethod
    async def _count_received(session: AsyncSession, receipt: Receipt, line: ReceiptLine) -> None:
        # Goods can arrive before the purchase order's announcement is read: the receipt is
        # then kept against it, and the announcement counts it.
        counted = insert(expected_goods).values(
            purchase_order_id=receipt.purchase_order_id,
            product_id=line.product_id,
            warehouse_id=receipt.warehouse_id,
            expected=0,
            received=line.quantity,
            created_by=receipt.created_by,
        )
        await session.execute(
            counted.on_conflict_do_update(
                index_elements=["purchase_order_id", "product_id"],
                set_={"received": expected_goods.c.received + line.quantity},
            )
        )

    async def _receipt(self, session: AsyncSession, receipt_id: str) -> Receipt:
        head = (await session.execute(select(receipts).where(receipts.c.id == receipt_id))).one()
        rows = await session.execute(
            select(receipt_lines)
            .where(receipt_lines.c.receipt_id == receipt_id)
            .order_by(receipt_lines.c.position)
        )
        return Receipt(
            head.id,
            head.warehouse_id,
            head.purchase_order_id,
            [ReceiptLine(r.product_id, r.quantity) for r in rows],
            head.created_at,
            head.created_by,
        )

    async def expect(
        self, purchase_order_id: str, warehouse_id: str, lines: Sequence[tuple[str, int]]
    ) -> Expectation:
        """Announces (or re-announces, replacing) what a purchase order brings."""
        check_expectation(purchase_order_id, warehouse_id, lines)
        await require_products(self.catalog, _products_of(lines))
        async with self.database.transaction() as session:
            await InventoryStore(session).require_warehouses(warehouse_id)
            return await self._expect(session, purchase_order_id, warehouse_id, lines)

    async def on_purchase_order_issued(
        self,
        session: AsyncSession,
        event: procurement_pb2.PurchaseOrderIssued,
        envelope: Envelope,
    ) -> None:
        """A purchase order sent to its supplier: its goods are incoming to its warehouse."""
        lines = [(x.product_id, int(x.quantity)) for x in event.lines]
        try:
            check_expectation(event.purchase_order_id, event.warehouse_id, lines)
            await InventoryStore(session).require_warehouses(event.warehouse_id)
        except (InvalidArgument, NotFound) as error:
            raise PoisonEvent(f"purchase order {event.number}: {error}") from error
        await self._expect(session, event.purchase_order_id, event.warehouse_id, lines)

    async def _expect(
        self,
        session: AsyncSession,
        purchase_order_id: str,
        warehouse_id: str,
        lines: Sequence[tuple[str, int]],
    ) -> Expectation:
        await self._replace_expected(session, purchase_order_id, warehouse_id, lines)
        goods = expected_goods.c
        rows = await session.execute(
            select(expected_goods)
            .where(goods.purchase_order_id == purchase_order_id, goods.expected > 0)
            .order_by(goods.product_id)
        )
        found = [ExpectedLine(r.product_id, r.expected, r.received) for r in rows]
        await self.audit.record(
            session,
            "expected_goods",
            purchase_order_id,
            "announced",
            after={
                "warehouse_id": warehouse_id,
                "lines": [{"product_id": x.product_id, "quantity": x.quantity} for x in found],
            },
        )
        return Expectation(purchase_order_id, warehouse_id, found)

    @staticmethod
    async def _replace_expected(
        session: AsyncSession,
        purchase_order_id: str,
        warehouse_id: str,
        lines: Sequence[tuple[str, int]],
    ) -> None:
        """The purchase order's expectation becomes `lines` (products it no longer names: 0)."""
        store = InventoryStore(session)
        goods = expected_goods.c
        await session.execute(
            expected_goods.update()
            .where(goods.purchase_order_id == purchase_order_id)
            .where(goods.product_id.not_in([p for p, _ in lines]))
            .values(expected=0)
        )
        for product_id, quantity in lines:
            await store.ensure_level(warehouse_id, product_id)
            statement = insert(expected_goods).values(
                purchase_order_id=purchase_order_id,
                product_id=product_id,
                warehouse_id=warehouse_id,
                expected=quantity,
                created_by=current_principal().subject,
            )
            await session.execute(
                statement.on_conflict_do_update(
                    index_elements=["purchase_order_id", "product_id"],
                    set_={
                        "expected": statement.excluded.expected,
                        "warehouse_id": statement.excluded.warehouse_id,
                    },
                )
            )
