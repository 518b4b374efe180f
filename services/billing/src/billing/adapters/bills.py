"""Payables in PostgreSQL: billing's copies of purchase orders (purchase_order_copies and their
lines by product) and of the goods received against them (goods_receipt_lines); suppliers' bills
(bills, bill_lines), read back with their purchase order's number."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Row, Select, func, select, tuple_
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import IntegrityError

from billing.adapters.tables import (
    bill_lines,
    bills,
    goods_receipt_lines,
    purchase_order_copies,
    purchase_order_copy_lines,
)
from billing.domain.bills import Bill, PurchaseOrderCopy, Receipt
from billing.domain.payables import OPEN, PARTIALLY_PAID, MatchedLine, OrderedLine
from pricing.money import Money
from servicekit.db import Transaction
from servicekit.errors import AlreadyExists, FieldViolation


class SqlPurchaseOrders:
    def __init__(self, session: Transaction) -> None:
        self.session = session

    async def add(self, copy: PurchaseOrderCopy) -> bool:
        copied = await self.session.execute(
            insert(purchase_order_copies)
            .values(
                purchase_order_id=copy.purchase_order_id,
                number=copy.number,
                supplier_id=copy.supplier_id,
                currency=copy.currency,
                payment_terms=copy.payment_terms,
            )
            .on_conflict_do_nothing()
            .returning(purchase_order_copies.c.purchase_order_id)
        )
        if copied.first() is None:
            return False
        if copy.lines:
            await self.session.execute(
                purchase_order_copy_lines.insert(),
                [
                    {
                        "purchase_order_id": copy.purchase_order_id,
                        "product_id": x.product_id,
                        "position": x.position,
                        "sku": x.sku,
                        "quantity": x.quantity,
                        "unit_price": x.unit_price.amount,
                    }
                    for x in copy.lines.values()
                ],
            )
        return True

    async def get(self, purchase_order_id: str, *, lock: bool = False) -> PurchaseOrderCopy | None:
        c = purchase_order_copies.c
        query = select(purchase_order_copies).where(c.purchase_order_id == purchase_order_id)
        head = (await self.session.execute(query.with_for_update() if lock else query)).first()
        if head is None:
            return None
        rows = await self.session.execute(
            select(purchase_order_copy_lines)
            .where(purchase_order_copy_lines.c.purchase_order_id == purchase_order_id)
            .order_by(purchase_order_copy_lines.c.position)
        )
        lines = {
            r.product_id: OrderedLine(
                r.product_id,
                r.sku,
                int(r.quantity),
                Money(r.unit_price, head.currency),
                r.position,
                int(r.cancelled),
            )
            for r in rows
        }
        return PurchaseOrderCopy(
            head.purchase_order_id,
            head.number,
            head.supplier_id,
            head.currency,
            head.payment_terms,
            lines,
        )

    async def receive(self, receipt: Receipt) -> None:
        await self.session.execute(
            insert(goods_receipt_lines)
            .values(
                [
                    {
                        "receipt_id": receipt.receipt_id,
                        "product_id": product_id,
                        "purchase_order_id": receipt.purchase_order_id,
                        "quantity": quantity,
                    }
                    for product_id, quantity in receipt.quantities.items()
                ]
            )
            .on_conflict_do_nothing()
        )

    async def cancel_units(self, copy: PurchaseOrderCopy) -> None:
        lines = purchase_order_copy_lines.c
        for x in copy.lines.values():
            await self.session.execute(
                purchase_order_copy_lines.update()
                .where(lines.purchase_order_id == copy.purchase_order_id)
                .where(lines.product_id == x.product_id)
                .values(cancelled=x.cancelled)
            )

    async def received(self, purchase_order_id: str) -> dict[str, int]:
        return await _sums(
            self.session,
            select(goods_receipt_lines.c.product_id, func.sum(goods_receipt_lines.c.quantity))
            .where(goods_receipt_lines.c.purchase_order_id == purchase_order_id)
            .group_by(goods_receipt_lines.c.product_id),
        )


class SqlBills:
    def __init__(self, session: Transaction) -> None:
        self.session = session

    async def add(self, bill: Bill) -> None:
        try:
            await self.session.execute(bills.insert().values(**_columns(bill)))
        except IntegrityError as error:  # the same reference recorded at the same instant
            raise AlreadyExists(
                f"supplier reference {bill.supplier_reference} is already recorded",
                (FieldViolation("supplier_reference", "already recorded"),),
            ) from error
        await self.session.execute(
            bill_lines.insert(),
            [
                {
                    "bill_id": bill.id,
                    "product_id": x.product_id,
                    "position": position,
                    "sku": x.sku,
                    "quantity": x.quantity,
                    "unit_price": x.unit_price.amount,
                    "line_total": x.line_total.amount,
                    "ordered_quantity": x.ordered_quantity,
                    "received_quantity": x.received_quantity,
                    "ordered_unit_price": x.ordered_unit_price.amount,
                    "billed_before": x.billed_before,
                    "issue": x.issue,
                }
                for position, x in enumerate(bill.lines)
            ],
        )

    async def get(self, bill_id: str, *, lock: bool = False) -> Bill | None:
        if lock:  # the bill's row alone, as a release locks it
            await self.session.execute(
                select(bills.c.id).where(bills.c.id == bill_id).with_for_update()
            )
        found = await self._all(_query().where(bills.c.id == bill_id))
        return found[0] if found else None

    async def with_reference(self, supplier_id: str, reference: str) -> str | None:
        found = await self.session.execute(
            select(bills.c.id).where(
                bills.c.supplier_id == supplier_id, bills.c.supplier_reference == reference
            )
        )
        return found.scalar_one_or_none()

    async def billed(self, purchase_order_id: str) -> dict[str, int]:
        return await _sums(
            self.session,
            select(bill_lines.c.product_id, func.sum(bill_lines.c.quantity))
            .join(bills, bills.c.id == bill_lines.c.bill_id)
            .where(bills.c.purchase_order_id == purchase_order_id)
            .group_by(bill_lines.c.product_id),
        )

    async def locked(self, bill_ids: Collection[str]) -> dict[str, Bill]:
        return await self._locked(bills.c.id.in_(list(bill_ids)))

    async def payable_of(self, supplier_id: str, currency: str) -> dict[str, Bill]:
        return await self._locked(
            bills.c.supplier_id == supplier_id,
            bills.c.currency == currency,
            bills.c.status.in_([OPEN, PARTIALLY_PAID]),
        )

    async def save(self, bill: Bill) -> None:
        await self.session.execute(
            bills.update()
            .where(bills.c.id == bill.id)
            .values(
                status=bill.status,
                match_status=bill.match_status,
                amount_paid=bill.amount_paid.amount,
                released_at=bill.released_at,
                released_by=bill.released_by or None,
                release_note=bill.release_note,
            )
        )

    async def page(
        self,
        purchase_order_id: str,
        supplier_id: str,
        status: str,
        after: tuple[datetime, str] | None,
        limit: int,
    ) -> list[Bill]:
        query = _query().limit(limit)
        for column, value in (
            (bills.c.purchase_order_id, purchase_order_id),
            (bills.c.supplier_id, supplier_id),
            (bills.c.status, status),
        ):
            if value:
                query = query.where(column == value)
        if after is not None:
            query = query.where(tuple_(bills.c.recorded_at, bills.c.id) < after)
        return await self._all(query)

    async def _locked(self, *where: Any) -> dict[str, Bill]:
        """The bills, locked by id (as payments sent take them)."""
        ids = await self.session.execute(
            select(bills.c.id).where(*where).order_by(bills.c.id).with_for_update()
        )
        wanted = [bill_id for (bill_id,) in ids.all()]
        found = await self._all(_query().where(bills.c.id.in_(wanted)))
        return {bill.id: bill for bill in sorted(found, key=lambda bill: bill.id)}

    async def _all(self, query: Select[Any]) -> list[Bill]:
        heads = (await self.session.execute(query)).all()
        lines = await self._lines(heads)
        return [_bill(h, lines.get(h.id, [])) for h in heads]

    async def _lines(self, heads: Sequence[Row[Any]]) -> dict[str, list[MatchedLine]]:
        if not heads:
            return {}
        currency = {h.id: h.currency for h in heads}
        lines: dict[str, list[MatchedLine]] = {}
        for r in await self.session.execute(
            select(bill_lines)
            .where(bill_lines.c.bill_id.in_(list(currency)))
            .order_by(bill_lines.c.bill_id, bill_lines.c.position)
        ):
            money = currency[r.bill_id]
            lines.setdefault(r.bill_id, []).append(
                MatchedLine(
                    r.product_id,
                    r.sku,
                    int(r.quantity),
                    Money(r.unit_price, money),
                    Money(r.line_total, money),
                    int(r.ordered_quantity),
                    int(r.received_quantity),
                    Money(r.ordered_unit_price, money),
                    int(r.billed_before),
                    r.issue,
                )
            )
        return lines


async def _sums(session: Transaction, query: Any) -> dict[str, int]:
    return {product_id: int(total) for product_id, total in await session.execute(query)}


def _columns(bill: Bill) -> dict[str, Any]:
    return {
        "id": bill.id,
        "purchase_order_id": bill.purchase_order_id,
        "supplier_id": bill.supplier_id,
        "supplier_reference": bill.supplier_reference,
        "currency": bill.currency,
        "total": bill.total.amount,
        "status": bill.status,
        "match_status": bill.match_status,
        "reason": bill.reason,
        "due_date": bill.due_date,
        "recorded_at": bill.recorded_at,
        "recorded_by": bill.recorded_by,
        "dual_control": bill.dual_control,
    }


def _query() -> Select[Any]:
    """Newest first, with the purchase order's number."""
    return (
        select(bills, purchase_order_copies.c.number)
        .outerjoin(
            purchase_order_copies,
            purchase_order_copies.c.purchase_order_id == bills.c.purchase_order_id,
        )
        .order_by(bills.c.recorded_at.desc(), bills.c.id.desc())
    )


def _bill(head: Row[Any], lines: list[MatchedLine]) -> Bill:
    currency = head.currency
    return Bill(
        head.id,
        head.purchase_order_id,
        head.supplier_id,
        head.supplier_reference,
        lines,
        Money(head.total, currency),
        head.status,
        head.match_status,
        head.reason,
        Money(head.amount_paid, currency),
        head.due_date,
        head.recorded_at,
        head.recorded_by,
        head.released_at,
        head.released_by or "",
        head.release_note,
        head.dual_control,
        head.number or "",
    )
