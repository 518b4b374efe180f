"""Purchase orders in PostgreSQL: the head with its priced document, a row per line, the
receipts and the status history, and the yearly number sequence."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from google.protobuf.json_format import MessageToDict, ParseDict
from sqlalchemy import Row, Table, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from oms.types.v1 import pricing_pb2 as pricing
from pricing.money import parse_amount
from procurement.adapters.repository import older_than
from procurement.adapters.tables import (
    purchase_order_history,
    purchase_order_lines,
    purchase_order_receipts,
    purchase_order_sequences,
    purchase_orders,
)
from procurement.domain.purchase_orders import (
    PurchaseOrder,
    ReceiptLine,
    Source,
    Status,
    StatusChange,
)


async def next_number(
    session: AsyncSession, year: int, table: Table = purchase_order_sequences
) -> int:
    """The year's next number; the row stays locked until this transaction ends, so a rollback
    gives the number back and concurrent orders take turns."""
    statement = (
        insert(table)
        .values(year=year, last_number=1)
        .on_conflict_do_update(
            index_elements=["year"], set_={"last_number": table.c.last_number + 1}
        )
        .returning(table.c.last_number)
    )
    return int((await session.execute(statement)).scalar_one())


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
        document=ParseDict(row.document, pricing.PricedDocument()),
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
        receipts=[
            ReceiptLine(r.receipt_id, r.product_id, r.quantity, r.note, r.received_at)
            for r in receipts
        ],
        history=[StatusChange(h.from_status, h.to_status, h.reason, h.at, h.by) for h in history],
    )


class PurchaseOrderRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def _head(self, order: PurchaseOrder) -> dict[str, Any]:
        return {
            "supplier_id": order.supplier_id,
            "warehouse_id": order.warehouse_id,
            "currency": order.currency,
            "status": order.status.value,
            "document": MessageToDict(order.document),
            "total": parse_amount(order.total),
            "expected_on": order.expected_on,
            "payment_terms": order.payment_terms,
            "notes": order.notes,
            "bill_id": order.bill_id,
            "bill_status": order.bill_status,
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
            await self.session.execute(
                insert(purchase_order_receipts)
                .values(
                    [
                        {
                            "purchase_order_id": order.id,
                            "receipt_id": r.receipt_id,
                            "product_id": r.product_id,
                            "quantity": r.quantity,
                            "note": r.note,
                            "received_at": r.received_at,
                        }
                        for r in order.receipts
                    ]
                )
                .on_conflict_do_nothing()
            )
        if order.history:
            await self.session.execute(
                insert(purchase_order_history)
                .values(
                    [
                        {
                            "purchase_order_id": order.id,
                            "position": position,
                            "from_status": h.from_status,
                            "to_status": h.to_status,
                            "reason": h.reason,
                            "at": h.at,
                            "by": h.by,
                        }
                        for position, h in enumerate(order.history)
                    ]
                )
                .on_conflict_do_nothing()
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

    async def get(self, order_id: str, for_update: bool = False) -> PurchaseOrder | None:
        if not order_id:
            return None
        query = select(purchase_orders).where(purchase_orders.c.id == order_id)
        rows = (await self.session.execute(query.with_for_update() if for_update else query)).all()
        found = await self._complete(rows)
        return found[0] if found else None

    async def open_draft(
        self, supplier_id: str, warehouse_id: str, currency: str
    ) -> PurchaseOrder | None:
        """The supplier's newest draft in `currency` for the warehouse, locked."""
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
        self,
        filters: Mapping[str, str],
        after: tuple[datetime, str] | None,
        limit: int,
    ) -> list[PurchaseOrder]:
        """Newest first, after the (created_at, id) of the previous page's last order; `filters`
        by column (status, supplier_id, warehouse_id)."""
        query = select(purchase_orders)
        for name, wanted in filters.items():
            if wanted:
                query = query.where(purchase_orders.c[name] == wanted)
        if after is not None:
            query = query.where(older_than(purchase_orders, after))
        query = query.order_by(
            purchase_orders.c.created_at.desc(), purchase_orders.c.id.desc()
        ).limit(limit)
        return await self._complete((await self.session.execute(query)).all())
