"""Goods in on PostgreSQL: receipts (receipts, receipt_lines) and what purchase orders announced
(expected_goods), where incoming is what was expected and has not arrived."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert

from inventory.adapters.tables import expected_goods, receipt_lines, receipts
from inventory.domain.events import ReceivedLine
from inventory.domain.receipt import CancelledLine, ExpectedLine, ExpectedUnits, Receipt
from servicekit.context import current_principal
from servicekit.db import Transaction


class SqlReceiptRepository:
    def __init__(self, session: Transaction) -> None:
        self.session = session

    async def add(self, receipt: Receipt) -> bool:
        added = await self.session.execute(
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
        await self.session.execute(
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

    async def get(self, receipt_id: str) -> Receipt | None:
        query = select(receipts).where(receipts.c.id == receipt_id)
        head = (await self.session.execute(query)).first()
        if head is None:
            return None
        rows = await self.session.execute(
            select(receipt_lines)
            .where(receipt_lines.c.receipt_id == receipt_id)
            .order_by(receipt_lines.c.position)
        )
        return Receipt(
            head.id,
            head.warehouse_id,
            head.purchase_order_id,
            [ReceivedLine(r.product_id, r.quantity) for r in rows],
            head.created_at,
            head.created_by,
        )


class SqlExpectedGoodsRepository:
    def __init__(self, session: Transaction) -> None:
        self.session = session

    async def replace(
        self, purchase_order_id: str, warehouse_id: str, lines: Sequence[tuple[str, int]]
    ) -> list[ExpectedLine]:
        goods = expected_goods.c
        await self.session.execute(
            expected_goods.update()
            .where(goods.purchase_order_id == purchase_order_id)
            .where(goods.product_id.not_in([p for p, _ in lines]))
            .values(expected=0)
        )
        by = current_principal().subject
        for product_id, quantity in lines:
            statement = insert(expected_goods).values(
                purchase_order_id=purchase_order_id,
                product_id=product_id,
                warehouse_id=warehouse_id,
                expected=quantity,
                created_by=by,
            )
            await self.session.execute(
                statement.on_conflict_do_update(
                    index_elements=["purchase_order_id", "product_id"],
                    set_={
                        "expected": statement.excluded.expected,
                        "warehouse_id": statement.excluded.warehouse_id,
                    },
                )
            )
        rows = await self.session.execute(
            select(expected_goods)
            .where(goods.purchase_order_id == purchase_order_id, goods.expected > 0)
            .order_by(goods.product_id)
        )
        return [ExpectedLine(r.product_id, r.expected, r.received) for r in rows]

    async def count_received(
        self, purchase_order_id: str, warehouse_id: str, product_id: str, units: int
    ) -> None:
        counted = insert(expected_goods).values(
            purchase_order_id=purchase_order_id,
            product_id=product_id,
            warehouse_id=warehouse_id,
            expected=0,
            received=units,
            created_by=current_principal().subject,
        )
        await self.session.execute(
            counted.on_conflict_do_update(
                index_elements=["purchase_order_id", "product_id"],
                set_={"received": expected_goods.c.received + units},
            )
        )

    async def cancel(
        self, purchase_order_id: str, warehouse_id: str, lines: Sequence[CancelledLine]
    ) -> None:
        by = current_principal().subject
        for line in lines:
            statement = insert(expected_goods).values(
                purchase_order_id=purchase_order_id,
                product_id=line.product_id,
                warehouse_id=warehouse_id,
                expected=line.quantity,
                cancelled=line.cancelled,
                created_by=by,
            )
            await self.session.execute(
                statement.on_conflict_do_update(
                    index_elements=["purchase_order_id", "product_id"],
                    set_={
                        "expected": statement.excluded.expected,
                        "cancelled": statement.excluded.cancelled,
                    },
                )
            )

    async def lines_of(self, purchase_order_id: str) -> dict[str, ExpectedUnits]:
        goods = expected_goods.c
        rows = await self.session.execute(
            select(expected_goods).where(goods.purchase_order_id == purchase_order_id)
        )
        return {r.product_id: ExpectedUnits(r.expected, r.received, r.cancelled) for r in rows}

    async def incoming(
        self, product_ids: Iterable[str], warehouse_id: str = ""
    ) -> dict[tuple[str, str], int]:
        goods = expected_goods.c
        query = (
            select(
                goods.warehouse_id,
                goods.product_id,
                func.sum(func.greatest(goods.expected - goods.received, 0)).label("incoming"),
            )
            .where(goods.expected > goods.received, goods.product_id.in_(set(product_ids)))
            .group_by(goods.warehouse_id, goods.product_id)
        )
        if warehouse_id:
            query = query.where(goods.warehouse_id == warehouse_id)
        return {
            (r.warehouse_id, r.product_id): int(r.incoming)
            for r in await self.session.execute(query)
        }
