"""Stock use cases: warehouses, adjustments, receipts, transfers, reorder points, expected goods
and levels. Stock that arrives fills backorders first come, first served (`StockBook.settle`)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from inventory.adapters.repository import InventoryStore
from inventory.adapters.tables import (
    expected_goods,
    receipt_lines,
    receipts,
    stock_levels,
    warehouses,
)
from inventory.application.ledger import StockBook
from inventory.domain.model import (
    check_adjustment,
    check_expectation,
    check_receipt,
    check_reorder_point,
    check_transfer,
    check_warehouse,
)
from messaging.consumer import PoisonEvent
from messaging.envelope import Envelope
from messaging.outbox import Outbox
from oms.events.v1 import inventory_pb2 as events
from oms.events.v1 import procurement_pb2
from servicekit.context import current_principal
from servicekit.db import Database
from servicekit.errors import AlreadyExists, InvalidArgument, NotFound


@dataclass(frozen=True)
class Warehouse:
    id: str
    code: str
    name: str
    priority: int = 0


@dataclass(frozen=True)
class StockLevel:
    warehouse_id: str
    product_id: str
    on_hand: int
    reserved: int
    incoming: int = 0
    backordered: int = 0
    reorder_point: int = 0

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved


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
class Transfer:
    id: str
    source: StockLevel
    target: StockLevel


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


class Stock:
    def __init__(self, database: Database, outbox: Outbox) -> None:
        self.database = database
        self.outbox = outbox

    async def create_warehouse(self, code: str, name: str, priority: int = 0) -> Warehouse:
        check_warehouse(code, name, priority)
        warehouse = Warehouse(str(uuid.uuid4()), code, name.strip(), priority)
        async with self.database.transaction() as session:
            created = await session.execute(
                insert(warehouses)
                .values(
                    id=warehouse.id,
                    code=code,
                    name=warehouse.name,
                    priority=priority,
                    created_by=current_principal().subject,
                )
                .on_conflict_do_nothing(index_elements=["code"])
                .returning(warehouses.c.id)
            )
            if created.first() is None:
                raise AlreadyExists(f"warehouse code {code!r} already exists")
        return warehouse

    async def list_warehouses(self) -> list[Warehouse]:
        async with self.database.transaction() as session:
            rows = await session.execute(
                select(warehouses).order_by(warehouses.c.priority, warehouses.c.code)
            )
            return [Warehouse(r.id, r.code, r.name, r.priority) for r in rows]

    @staticmethod
    async def _known(store: InventoryStore, *warehouse_ids: str) -> None:
        missing = await store.missing_warehouses(warehouse_ids)
        if missing:
            raise NotFound(f"warehouse {missing[0]} not found")

    async def adjust(
        self, warehouse_id: str, product_id: str, delta: int, reason: str
    ) -> StockLevel:
        check_adjustment(warehouse_id, product_id, delta, reason)
        async with self.database.transaction() as session:
            store = InventoryStore(session)
            await self._known(store, warehouse_id)
            await store.lock_products([product_id])
            book = StockBook(store, self.outbox)
            await book.put(warehouse_id, product_id, delta, kind="adjustment", reason=reason)
            await book.settle()
            return await self._level(store, warehouse_id, product_id)

    async def _level(self, store: InventoryStore, warehouse_id: str, product_id: str) -> StockLevel:
        levels = await self._levels(store.session, product_id, warehouse_id)
        if not levels:
            raise NotFound(f"no stock of {product_id} in warehouse {warehouse_id}")
        return levels[0]

    async def receive(
        self,
        warehouse_id: str,
        purchase_order_id: str,
        lines: Sequence[tuple[str, int]],
        receipt_id: str = "",
    ) -> Receipt:
        check_receipt(warehouse_id, lines)
        receipt = Receipt(
            receipt_id.strip() or str(uuid.uuid4()),
            warehouse_id,
            purchase_order_id.strip(),
            [ReceiptLine(p, q) for p, q in lines],
            datetime.now(UTC),
            current_principal().subject,
        )
        async with self.database.transaction() as session:
            store = InventoryStore(session)
            await self._known(store, warehouse_id)
            await store.lock_products(p for p, _ in lines)
            added = await session.execute(
                insert(receipts)
                .values(
                    id=receipt.id,
                    warehouse_id=warehouse_id,
                    purchase_order_id=receipt.purchase_order_id,
                    created_by=receipt.created_by,
                    created_at=receipt.created_at,
                )
                .on_conflict_do_nothing()
                .returning(receipts.c.id)
            )
            if added.first() is None:  # a retry: received already
                return await self._receipt(session, receipt.id)
            await session.execute(
                receipt_lines.insert(),
                [
                    {"receipt_id": receipt.id, "position": i, "product_id": p, "quantity": q}
                    for i, (p, q) in enumerate(lines)
                ],
            )
            book = StockBook(store, self.outbox)
            reason = (
                f"received against purchase order {receipt.purchase_order_id}"
                if receipt.purchase_order_id
                else "goods received"
            )
            for product_id, quantity in lines:
                await book.put(
                    warehouse_id,
                    product_id,
                    quantity,
                    kind="receipt",
                    reason=reason,
                    reference=receipt.id,
                )
                if receipt.purchase_order_id:
                    # Goods can arrive before the purchase order's announcement is read: the
                    # receipt is then kept against it, and the announcement counts it.
                    counted = insert(expected_goods).values(
                        purchase_order_id=receipt.purchase_order_id,
                        product_id=product_id,
                        warehouse_id=warehouse_id,
                        expected=0,
                        received=quantity,
                        created_by=current_principal().subject,
                    )
                    await session.execute(
                        counted.on_conflict_do_update(
                            index_elements=["purchase_order_id", "product_id"],
                            set_={"received": expected_goods.c.received + quantity},
                        )
                    )
            await self.outbox.add(
                session,
                events.GoodsReceived(
                    receipt_id=receipt.id,
                    purchase_order_id=receipt.purchase_order_id,
                    warehouse_id=warehouse_id,
                    lines=[events.ReceivedLine(product_id=p, quantity=q) for p, q in lines],
                ),
                key=receipt.id,
            )
            await book.settle()
        return receipt

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

    async def transfer(
        self, source: str, target: str, product_id: str, quantity: int, reason: str
    ) -> Transfer:
        check_transfer(source, target, product_id, quantity)
        transfer_id = str(uuid.uuid4())
        why = reason.strip() or "transfer"
        async with self.database.transaction() as session:
            store = InventoryStore(session)
            await self._known(store, source, target)
            await store.lock_products([product_id])
            book = StockBook(store, self.outbox)
            await book.put(
                source,
                product_id,
                -quantity,
                kind="transfer_out",
                reason=why,
                reference=transfer_id,
                refusal=f"moving {quantity} units would leave warehouse {source} with less on "
                "hand than it has reserved",
            )
            await book.put(
                target, product_id, quantity, kind="transfer_in", reason=why, reference=transfer_id
            )
            await book.settle()
            return Transfer(
                transfer_id,
                await self._level(store, source, product_id),
                await self._level(store, target, product_id),
            )

    async def set_reorder_point(
        self, product_id: str, warehouse_id: str, reorder_point: int
    ) -> StockLevel:
        check_reorder_point(product_id, warehouse_id, reorder_point)
        async with self.database.transaction() as session:
            store = InventoryStore(session)
            await self._known(store, warehouse_id)
            await store.lock_products([product_id])
            await store.ensure_level(warehouse_id, product_id)
            await store.set_reorder_point(warehouse_id, product_id, reorder_point)
            book = StockBook(store, self.outbox)
            book.touched[(warehouse_id, product_id)] = None
            await book.settle()
            return await self._level(store, warehouse_id, product_id)

    async def expect(
        self, purchase_order_id: str, warehouse_id: str, lines: Sequence[tuple[str, int]]
    ) -> Expectation:
        """Announces (or re-announces, replacing) what a purchase order brings."""
        check_expectation(purchase_order_id, warehouse_id, lines)
        async with self.database.transaction() as session:
            store = InventoryStore(session)
            await self._known(store, warehouse_id)
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
            await self._known(InventoryStore(session), event.warehouse_id)
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
        store = InventoryStore(session)
        goods = expected_goods.c
        named = [p for p, _ in lines]
        await session.execute(
            expected_goods.update()
            .where(goods.purchase_order_id == purchase_order_id)
            .where(goods.product_id.not_in(named))
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
        rows = await session.execute(
            select(expected_goods)
            .where(goods.purchase_order_id == purchase_order_id, goods.expected > 0)
            .order_by(goods.product_id)
        )
        return Expectation(
            purchase_order_id,
            warehouse_id,
            [ExpectedLine(r.product_id, r.expected, r.received) for r in rows],
        )

    async def levels(self, product_id: str = "", warehouse_id: str = "") -> list[StockLevel]:
        async with self.database.transaction() as session:
            return await self._levels(session, product_id, warehouse_id)

    async def _levels(
        self, session: AsyncSession, product_id: str = "", warehouse_id: str = ""
    ) -> list[StockLevel]:
        query = select(stock_levels).order_by(
            stock_levels.c.product_id, stock_levels.c.warehouse_id
        )
        if product_id:
            query = query.where(stock_levels.c.product_id == product_id)
        if warehouse_id:
            query = query.where(stock_levels.c.warehouse_id == warehouse_id)
        store = InventoryStore(session)
        rows = list(await session.execute(query))
        incoming = await store.incoming(product_id, warehouse_id)
        backordered = await store.backordered({r.product_id for r in rows})
        return [
            StockLevel(
                r.warehouse_id,
                r.product_id,
                r.on_hand,
                r.reserved,
                incoming.get((r.warehouse_id, r.product_id), 0),
                backordered.get(r.product_id, 0),
                r.reorder_point,
            )
            for r in rows
        ]
