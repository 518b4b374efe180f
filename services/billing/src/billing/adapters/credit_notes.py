"""Credit notes in PostgreSQL: the credit_notes and credit_note_lines tables (a credit note never
changes once issued), read back with their invoice's number."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import Row, Select, func, select

from billing.adapters.tables import credit_note_lines, credit_notes, invoices
from billing.domain.credit_notes import CreditLine, CreditNote
from billing.domain.taxes import Buyer, line_taxes_from_json, line_taxes_json, totals_json
from pricing.money import Money
from servicekit.db import Transaction


class SqlCreditNotes:
    def __init__(self, session: Transaction) -> None:
        self.session = session

    async def add(self, note: CreditNote) -> None:
        await self.session.execute(
            credit_notes.insert().values(
                id=note.id,
                number=note.number,
                invoice_id=note.invoice_id or None,
                order_id=note.order_id or None,
                customer_id=note.customer_id,
                currency=note.total.currency,
                total=note.total.amount,
                unapplied=note.unapplied.amount,
                reason=note.reason,
                return_id=note.return_id or None,
                issued_at=note.issued_at,
                created_by=note.created_by,
                memo=note.memo,
                buyer=None if note.buyer is None else note.buyer.as_json(),
                taxes=totals_json(note.taxes),
            )
        )
        if note.lines:
            await self.session.execute(
                credit_note_lines.insert(),
                [
                    {
                        "credit_note_id": note.id,
                        "position": position,
                        "order_line_id": x.order_line_id,
                        "product_id": x.product_id,
                        "sku": x.sku,
                        "quantity": x.quantity,
                        "unit_price": x.unit_price.amount,
                        "line_total": x.amount.amount,
                        "taxes": line_taxes_json(x.taxes),
                    }
                    for position, x in enumerate(note.lines)
                ],
            )

    async def get(self, credit_note_id: str) -> CreditNote | None:
        found = await self._all(_query().where(credit_notes.c.id == credit_note_id))
        return found[0] if found else None

    async def credited_against(self, invoice_id: str) -> Decimal:
        total = await self.session.execute(
            select(func.coalesce(func.sum(credit_notes.c.total), 0)).where(
                credit_notes.c.invoice_id == invoice_id
            )
        )
        return Decimal(total.scalar_one())

    async def page(
        self, order_id: str, customer_id: str, before: str, limit: int
    ) -> list[CreditNote]:
        query = _query().limit(limit)
        if order_id:
            query = query.where(credit_notes.c.order_id == order_id)
        if customer_id:
            query = query.where(credit_notes.c.customer_id == customer_id)
        if before:
            query = query.where(credit_notes.c.number < before)
        return await self._all(query)

    async def _all(self, query: Select[Any]) -> list[CreditNote]:
        heads = (await self.session.execute(query)).all()
        lines = await self._lines(heads)
        return [_note(h, lines.get(h.id, [])) for h in heads]

    async def _lines(self, heads: Sequence[Row[Any]]) -> dict[str, list[CreditLine]]:
        if not heads:
            return {}
        currency = {h.id: h.currency for h in heads}
        invoice_of = {h.id: h.invoice_id or "" for h in heads}
        rows = await self.session.execute(
            select(credit_note_lines)
            .where(credit_note_lines.c.credit_note_id.in_(list(currency)))
            .order_by(credit_note_lines.c.credit_note_id, credit_note_lines.c.position)
        )
        lines: dict[str, list[CreditLine]] = {}
        for r in rows:
            money = currency[r.credit_note_id]
            lines.setdefault(r.credit_note_id, []).append(
                CreditLine(
                    invoice_of[r.credit_note_id],
                    r.order_line_id,
                    r.product_id,
                    r.sku,
                    int(r.quantity),
                    Money(r.unit_price, money),
                    Money(r.line_total, money),
                    line_taxes_from_json(r.taxes, money),
                )
            )
        return lines


def _query() -> Select[Any]:
    """Newest (highest number) first, with the invoice's number."""
    return (
        select(credit_notes, invoices.c.number.label("invoice_number"))
        .outerjoin(invoices, invoices.c.id == credit_notes.c.invoice_id)
        .order_by(credit_notes.c.number.desc())
    )


def _note(head: Row[Any], lines: list[CreditLine]) -> CreditNote:
    currency = head.currency
    return CreditNote(
        head.id,
        head.number,
        head.customer_id,
        Money(head.total, currency),
        Money(head.unapplied, currency),
        head.reason,
        head.issued_at,
        head.created_by,
        head.invoice_id or "",
        head.order_id or "",
        head.return_id or "",
        head.memo,
        lines,
        head.invoice_number or "",
        Buyer.from_json(head.buyer),
    )
