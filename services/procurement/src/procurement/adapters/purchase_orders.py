"""Purchase orders in PostgreSQL: the head with its priced document (the protobuf's JSON), a
row per line, the receipts and the status history, and the yearly number sequence
(servicekit.numbering)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict
from datetime import datetime
from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.dialects.postgresql import insert

from pricing.money import parse_amount
from pricing.wire import document_from_json, document_to_json
from procurement.adapters.tables import (
    older_than,
    purchase_order_history,
    purchase_order_lines,
    purchase_order_receipts,
    purchase_order_sequences,
    purchase_orders,
)
from procurement.application.ports import OrderFilter
from procurement.domain.purchase_orders import (
    PurchaseOrder,
    ReceiptLine,
    Source,
    Status,
    StatusChange,
)
from procurement.domain.settlement import BillRef
from servicekit.db import Transaction
from servicekit.numbering import next_number


def _order(
    row: Row[Any], receipts: Iterable[Row[Any]], history: Iterable[Row[Any]]
) -> PurchaseOrder:
    return PurchaseOrder(
        id=row.id,
        number=row.number,
        supplier_id=row.supplier_id,
        warehouse_id=row.warehouse_id,
        currency=row.currency,
        status=Status(row.status),
        document=document_from_json(row.document),
        expected_on=row.expected_on,
        payment_terms=row.payment_terms,
        notes=row.notes,
        source=Source(row.source),
        created_at=row.created_at,
        created_by=row.created_by,
        updated_at=row.updated_at,
        rfq_id=row.rfq_id,
        bill_id=row.bill_id,
        bill_status=row.bill_status,
        bills=[BillRef.from_json(b) for b in row.bills],
        cancelled={str(k): int(v) for k, v in row.cancelled.items()},
        receipts=[
            ReceiptLine(r.receipt_id, r.product_id, r.quantity, r.note, r.received_at)
            for r in receipts
        ],
        history=[StatusChange(h.from_status, h.to_status, h.reason, h.at, h.by) for h in history],
    )


class SqlPurchaseOrderRepository:
    def __init__(self, session: Transaction) -> None:
        self.session = session

    async def next_number(self, year: int) -> int:
        return await next_number(self.session, purchase_order_sequences, year)

    def _head(self, order: PurchaseOrder) -> dict[str, Any]:
        return {
            "supplier_id": order.supplier_id,
            "warehouse_id": order.warehouse_id,
            "currency": order.currency,
            "status": order.status.value,
            "document": document_to_json(order.document),
            "total": parse_amount(order.total),
            "expected_on": order.expected_on,
            "payment_terms": order.payment_terms,
            "notes": order.notes,
            "bill_id": order.bill_id,
            "bill_status": order.bill_status,
            "bills": [b.to_json() for b in order.bills],
            "cancelled": order.cancelled,
            "updated_at": order.updated_at,
        }

    async def add(self, order: PurchaseOrder) -> None:
        await self.session.execute(
            purchase_orders.insert().values(
                id=order.id,
                number=order.number,
                source=order.source.value,
                rfq_id=order.rfq_id,
                created_at=order.created_at,
                created_by=order.created_by,
                **self._head(order),
            )
        )
        await self._save_parts(order)

    async def save(self, order: PurchaseOrder) -> None:
        await self.session.execute(
            purchase_orders.update()
            .where(purchase_orders.c.id == order.id)
            .values(**self._head(order))
        )
        await self._save_parts(order)

    async def _save_parts(self, order: PurchaseOrder) -> None:
        """The lines as they are now; receipts and history only ever grow."""
        await self.session.execute(
            purchase_order_lines.delete().where(
                purchase_order_lines.c.purchase_order_id == order.id
            )
        )
        await self.session.execute(
            purchase_order_lines.insert(),
            [
                {
                    "purchase_order_id": order.id,
                    "line_id": line.line_id,
                    "product_id": line.product_id,
                    "sku": line.sku,
                    "quantity": line.quantity,
                    "received": order.received(line.product_id),
                    "unit_price": parse_amount(line.unit_price),
                }
                for line in order.lines
            ],
        )
        if order.receipts:
            receipts = [{"purchase_order_id": order.id, **asdict(r)} for r in order.receipts]
            await self.session.execute(
                insert(purchase_order_receipts).values(receipts).on_conflict_do_nothing()
            )
        if order.history:
            history = [
                {"purchase_order_id": order.id, "position": position, **asdict(h)}
                for position, h in enumerate(order.history)
            ]
            await self.session.execute(
                insert(purchase_order_history).values(history).on_conflict_do_nothing()
            )

    async def _complete(self, rows: Sequence[Row[Any]]) -> list[PurchaseOrder]:
        ids = [row.id for row in rows]
        receipts: dict[str, list[Row[Any]]] = {i: [] for i in ids}
        history: dict[str, list[Row[Any]]] = {i: [] for i in ids}
        if ids:
            r = purchase_order_receipts.c
            query = select(purchase_order_receipts).where(r.purchase_order_id.in_(ids))
            for row in await self.session.execute(
                query.order_by(r.received_at, r.receipt_id, r.product_id)
            ):
                receipts[row.purchase_order_id].append(row)
            h = purchase_order_history.c
            query = select(purchase_order_history).where(h.purchase_order_id.in_(ids))
            for row in await self.session.execute(query.order_by(h.position)):
                history[row.purchase_order_id].append(row)
        return [_order(row, receipts[row.id], history[row.id]) for row in rows]

    async def get(self, order_id: str, *, for_update: bool = False) -> PurchaseOrder | None:
        if not order_id:
            return None
        query = select(purchase_orders).where(purchase_orders.c.id == order_id)
        rows = (await self.session.execute(query.with_for_update() if for_update else query)).all()
        found = await self._complete(rows)
        return found[0] if found else None

    async def open_draft(
        self, supplier_id: str, warehouse_id: str, currency: str
    ) -> PurchaseOrder | None:
        c = purchase_orders.c
        query = (
            select(purchase_orders)
            .where(
                c.status == Status.DRAFT.value,
                c.supplier_id == supplier_id,
                c.warehouse_id == warehouse_id,
                c.currency == currency,
            )
            .order_by(c.created_at.desc(), c.id.desc())
            .limit(1)
            .with_for_update()
        )
        found = await self._complete((await self.session.execute(query)).all())
        return found[0] if found else None

    async def page(
        self, wanted: OrderFilter, after: tuple[datetime, str] | None, limit: int
    ) -> list[PurchaseOrder]:
        c = purchase_orders.c
        query = select(purchase_orders)
        for column, value in (
            (c.status, wanted.status),
            (c.supplier_id, wanted.supplier_id),
            (c.warehouse_id, wanted.warehouse_id),
        ):
            if value:
                query = query.where(column == value)
        if after is not None:
            query = query.where(older_than(purchase_orders, after))
        query = query.order_by(c.created_at.desc(), c.id.desc()).limit(limit)
        return await self._complete((await self.session.execute(query)).all())
