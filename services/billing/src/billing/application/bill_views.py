"""Supplier bills as callers see them: matched lines, what was paid, who recorded and released
them, newest first in pages; and the facts of a bill its change log keeps."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Row, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from billing.adapters.tables import bill_lines, bills, purchase_order_copies
from billing.domain.payables import MatchedLine
from pricing.money import Money
from servicekit.errors import NotFound


@dataclass(frozen=True)
class Bill:
    id: str
    purchase_order_id: str
    purchase_order_number: str
    supplier_id: str
    supplier_reference: str
    lines: list[MatchedLine]
    total: Money
    status: str
    match_status: str
    reason: str
    amount_paid: Money
    due_date: date
    recorded_at: datetime
    recorded_by: str
    released_at: datetime | None = None
    released_by: str = ""
    release_note: str = ""
    dual_control: bool = False

    @property
    def balance(self) -> Money:
        return (self.total - self.amount_paid).rounded()

    @property
    def created_at(self) -> datetime:
        """When it was recorded: what pages of bills are ordered by."""
        return self.recorded_at


def facts(bill: Bill) -> dict[str, Any]:
    """What the change log keeps of a bill: its money, its state and the people on it."""
    return {
        "supplier_id": bill.supplier_id,
        "supplier_reference": bill.supplier_reference,
        "purchase_order_id": bill.purchase_order_id,
        "total": str(bill.total),
        "status": bill.status,
        "match_status": bill.match_status,
        "reason": bill.reason,
        "dual_control": bill.dual_control,
        "recorded_by": bill.recorded_by,
        "released_by": bill.released_by,
        "release_note": bill.release_note,
    }


async def find_bills(
    session: AsyncSession,
    purchase_order_id: str = "",
    supplier_id: str = "",
    status: str = "",
    bill_id: str = "",
    *,
    after: tuple[datetime, str] | None = None,
    limit: int | None = None,
) -> list[Bill]:
    """Newest first; `after` is the (recorded_at, id) of the last bill already seen."""
    query = (
        select(bills, purchase_order_copies.c.number)
        .outerjoin(
            purchase_order_copies,
            purchase_order_copies.c.purchase_order_id == bills.c.purchase_order_id,
        )
        .order_by(bills.c.recorded_at.desc(), bills.c.id.desc())
        .limit(limit)
    )
    for column, value in (
        (bills.c.purchase_order_id, purchase_order_id),
        (bills.c.supplier_id, supplier_id),
        (bills.c.status, status),
        (bills.c.id, bill_id),
    ):
        if value:
            query = query.where(column == value)
    if after is not None:
        query = query.where(tuple_(bills.c.recorded_at, bills.c.id) < after)
    heads = (await session.execute(query)).all()
    lines = await _lines(session, {h.id: h.currency for h in heads})
    return [_bill(h, lines.get(h.id, [])) for h in heads]


async def bill_in(session: AsyncSession, bill_id: str) -> Bill:
    found = await find_bills(session, bill_id=bill_id)
    if not found:
        raise NotFound(f"bill {bill_id} not found")
    return found[0]


async def _lines(session: AsyncSession, currency: dict[str, str]) -> dict[str, list[MatchedLine]]:
    lines: dict[str, list[MatchedLine]] = {}
    for r in await session.execute(
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
                Money(r.unit_price, money).trimmed(),
                Money(r.line_total, money).trimmed(),
                int(r.ordered_quantity),
                int(r.received_quantity),
                Money(r.ordered_unit_price, money).trimmed(),
                int(r.billed_before),
                r.issue,
            )
        )
    return lines


def _bill(head: Row[Any], lines: list[MatchedLine]) -> Bill:
    return Bill(
        head.id,
        head.purchase_order_id,
        head.number or "",
        head.supplier_id,
        head.supplier_reference,
        lines,
        Money(head.total, head.currency).trimmed(),
        head.status,
        head.match_status,
        head.reason,
        Money(head.amount_paid, head.currency).trimmed(),
        head.due_date,
        head.recorded_at,
        head.recorded_by,
        head.released_at,
        head.released_by or "",
        head.release_note,
        head.dual_control,
    )
